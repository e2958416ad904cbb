#!/usr/bin/env bash
# A guided tour of the `sigil` command-line tools: Ethereum encodings and signatures (the same
# bytes cast produces), then a model imported from ONNX into a verifiable int8 program and run with
# its execution commitment. (`scripts/demo.sh --tour` runs it too.)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" --preset release
sigil="$root/build/release/src/cli/sigil"
work="$root/build/demo"
mkdir -p "$work"

step() { printf '\n\033[1m$ sigil %s\033[0m\n' "$*"; "$sigil" "$@"; }
note() { printf '\n\033[36m# %s\033[0m\n' "$*"; }

# anvil's first well-known development key: never use it for real funds.
dev_key=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80

note "Hashes, selectors and ABI encoding"
step keccak "hello"
step sig "transfer(address,uint256)"
step calldata "transfer(address,uint256)" 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 1000000000000000000
step abi decode "balanceOf(address)(uint256)" 0x0000000000000000000000000000000000000000000000000de0b6b3a7640000

note "Keys and signatures (offline)"
step wallet address --private-key "$dev_key"
step wallet sign "hello sigil" --private-key "$dev_key"
step tx sign --chain-id 31337 --nonce 0 --gas-limit 21000 --max-fee 2000000000 --priority-fee 1000000000 \
  --to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --value 1000000000000000 --private-key "$dev_key"

note "ONNX's own conformance tests for the float reference executor (Relu and Gemm)"
step onnx conformance --filter 'test_(relu|gemm)'

note "Import a CNN into a verifiable int8 program, inspect it, and run it with its commitment"
/usr/bin/python3 "$root/tests/data/onnx/make_models.py" "$work" --samples 64 > /dev/null
step model import "$work/cnn.onnx" --calib "$work/cnn_calib.npy" -o "$work/cnn.sigil"
step model inspect "$work/cnn.sigil"
step model run "$work/cnn.sigil" --input "$work/cnn_input.npy"

printf '\nMore: sigil --help, scripts/build-zoo.sh (Fashion-MNIST models), contracts/README.md.\n'
