// The runtime library; its components arrive in their own files.
namespace sigil::rt {
int library_version() { return 1; }
}  // namespace sigil::rt
