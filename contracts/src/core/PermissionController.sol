// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IPermissionController} from "../interfaces/IPermissionController.sol";

/// @title PermissionController
/// @notice Lets an account (an AVS or an operator) name appointees that may call one function of
///         one core contract on its behalf. EigenLayer's interface; the embedded core has no
///         separate admins: an account is its own (only) admin.
/// @dev Invariants: `canCall(a, c, t, s)` is true iff c == a or a itself granted (c, t, s) and has
///      not removed it; only `account` can change its own grants (no one can grant on behalf of
///      another account).
contract PermissionController is IPermissionController {
    mapping(
        address account => mapping(address appointee => mapping(address target => mapping(bytes4 => bool)))
    ) internal _appointed;

    event AppointeeSet(address indexed account, address indexed appointee, address target, bytes4 selector);
    event AppointeeRemoved(
        address indexed account, address indexed appointee, address target, bytes4 selector
    );

    error NotAdmin();
    error AppointeeAlreadySet();
    error AppointeeNotSet();

    modifier onlyAdmin(address account) {
        if (msg.sender != account) revert NotAdmin();
        _;
    }

    /// @inheritdoc IPermissionController
    function setAppointee(address account, address appointee, address target, bytes4 selector)
        external
        onlyAdmin(account)
    {
        mapping(bytes4 => bool) storage p = _appointed[account][appointee][target];
        if (p[selector]) revert AppointeeAlreadySet();
        p[selector] = true;
        emit AppointeeSet(account, appointee, target, selector);
    }

    /// @inheritdoc IPermissionController
    function removeAppointee(address account, address appointee, address target, bytes4 selector)
        external
        onlyAdmin(account)
    {
        mapping(bytes4 => bool) storage p = _appointed[account][appointee][target];
        if (!p[selector]) revert AppointeeNotSet();
        p[selector] = false;
        emit AppointeeRemoved(account, appointee, target, selector);
    }

    /// @notice True when `caller` administers `account` (in the embedded core: is `account`).
    function isAdmin(address account, address caller) external pure returns (bool) {
        return account == caller;
    }

    /// @inheritdoc IPermissionController
    function canCall(address account, address caller, address target, bytes4 selector)
        external
        view
        returns (bool)
    {
        return caller == account || _appointed[account][caller][target][selector];
    }
}
