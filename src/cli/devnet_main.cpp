// `sigil-devnet`: the local devnet (anvil, contracts, operators, nodes, workload). Users call it
// as `sigil devnet`; it starts `sigil` from its own directory for the nodes and the router.
#include "cli/forwarded_main.hpp"

int main(int argc, char** argv) {
    return sigil::cli::forwarded_main(argc, argv, "sigil: the local devnet", &sigil::cli::register_devnet_commands,
                                      sigil::cli::kDevnetCommands);
}
