// The training library; its components arrive in their own files.
namespace sigil::train {
int library_version() { return 1; }
}  // namespace sigil::train
