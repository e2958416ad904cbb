// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice ERC20 that burns `feeBips` of every transfer (the recipient gets the rest).
contract FeeOnTransferToken is ERC20 {
    uint256 public immutable feeBips;

    constructor(uint256 bips) ERC20("Fee", "FEE") {
        feeBips = bips;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = value * feeBips / 10_000;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
