import Agents
import ArgumentParser
import Webshop

/// The options of the benchmarks that ask questions about the generated shop catalog.
struct ShopOptions: ParsableArguments {
    @Option(help: "Folder of the templates (reply texts, knowledge, offers, search-synonyms.yml).")
    var templates = "templates"

    @Option(help: "Products in the generated shop catalog the questions are about.")
    var shopProducts = 2_000

    /// The generated catalog, its products as an import reads them, and the shop's search synonyms.
    func load() async throws -> (catalog: ShopCatalog, products: [Product], synonyms: SearchSynonyms) {
        let catalog = ShopCatalog(count: shopProducts)
        return (catalog, try catalog.imported(), try await AgentResources.load(directory: templates).searchSynonyms)
    }
}
