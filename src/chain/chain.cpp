// The chain library; its components arrive in their own files.
namespace sigil::chain {
int library_version() { return 1; }
}  // namespace sigil::chain
