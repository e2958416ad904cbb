// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/// @title IPermissionController
/// @notice Who may call a core function on behalf of an account (an AVS or an operator): the
///         account itself, or an appointee the account named for exactly one (target contract,
///         function selector). EigenLayer's PermissionController interface (the subset Sigil uses).
interface IPermissionController {
    /// @notice Lets `appointee` call `selector` on `target` on behalf of `account` (the account only).
    function setAppointee(address account, address appointee, address target, bytes4 selector) external;

    /// @notice Withdraws a permission given with `setAppointee` (the account only).
    function removeAppointee(address account, address appointee, address target, bytes4 selector) external;

    /// @notice True when `caller` may call `selector` on `target` on behalf of `account`.
    function canCall(address account, address caller, address target, bytes4 selector)
        external
        view
        returns (bool);
}
