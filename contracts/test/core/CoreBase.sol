// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {IAllocationManager} from "../../src/interfaces/IAllocationManager.sol";
import {OperatorSet} from "../../src/interfaces/OperatorSet.sol";
import {Strategy} from "../../src/core/Strategy.sol";
import {StrategyManager} from "../../src/core/StrategyManager.sol";
import {DelegationManager} from "../../src/core/DelegationManager.sol";
import {AllocationManager} from "../../src/core/AllocationManager.sol";
import {PermissionController} from "../../src/core/PermissionController.sol";
import {RewardsCoordinator} from "../../src/core/RewardsCoordinator.sol";
import {TestToken} from "./mocks/TestToken.sol";
import {TestRegistrar} from "./mocks/TestRegistrar.sol";

/// @notice Deploys and wires the restaking core with three strategies, plus helpers.
abstract contract CoreBase is Test {
    uint256 internal constant WAD = 1e18;
    uint32 internal constant DEALLOCATION_DELAY = 50;
    uint32 internal constant CONFIG_DELAY = 20;
    uint32 internal constant WITHDRAWAL_DELAY = 60;
    uint32 internal constant COMMISSION_DELAY = 30;

    address internal owner = makeAddr("owner");
    StrategyManager internal sm;
    DelegationManager internal dm;
    AllocationManager internal am;
    PermissionController internal pc;
    RewardsCoordinator internal rc;
    TestToken[3] internal tokens;
    IStrategy[3] internal strategies;
    TestToken internal rewardToken;

    function setUp() public virtual {
        vm.roll(1000);
        vm.prank(owner); // from another deployer: the test's own deployments keep their addresses
        pc = new PermissionController();
        am = new AllocationManager(owner, pc, DEALLOCATION_DELAY, CONFIG_DELAY);
        sm = new StrategyManager(owner);
        dm = new DelegationManager(owner, sm, am, WITHDRAWAL_DELAY);
        rc = new RewardsCoordinator(owner, dm, am, COMMISSION_DELAY);
        vm.startPrank(owner);
        sm.setDelegationManager(dm);
        am.setDelegationManager(dm);
        dm.setRewardsCoordinator(rc);
        vm.stopPrank();
        for (uint256 i = 0; i < 3; ++i) {
            tokens[i] = new TestToken(string.concat("T", vm.toString(i)));
            strategies[i] = IStrategy(address(new Strategy(tokens[i], address(sm))));
        }
        _sortStrategies();
        _whitelist(strategies[0]);
        _whitelist(strategies[1]);
        _whitelist(strategies[2]);
        rewardToken = new TestToken("R");
    }

    function _sortStrategies() internal {
        for (uint256 i = 0; i < 3; ++i) {
            for (uint256 j = i + 1; j < 3; ++j) {
                if (address(strategies[j]) < address(strategies[i])) {
                    (strategies[i], strategies[j]) = (strategies[j], strategies[i]);
                    (tokens[i], tokens[j]) = (tokens[j], tokens[i]);
                }
            }
        }
    }

    function _whitelist(IStrategy s) internal {
        IStrategy[] memory list = new IStrategy[](1);
        list[0] = s;
        vm.prank(owner);
        sm.setStrategyWhitelisted(list, true);
    }

    function _one(IStrategy s) internal pure returns (IStrategy[] memory list) {
        list = new IStrategy[](1);
        list[0] = s;
    }

    function _oneU(uint256 x) internal pure returns (uint256[] memory list) {
        list = new uint256[](1);
        list[0] = x;
    }

    function _ids(uint32 id) internal pure returns (uint32[] memory list) {
        list = new uint32[](1);
        list[0] = id;
    }

    function _deposit(address staker, uint256 idx, uint256 amount) internal returns (uint256 shares) {
        tokens[idx].mint(staker, amount);
        vm.startPrank(staker);
        tokens[idx].approve(address(sm), amount);
        shares = sm.depositIntoStrategy(strategies[idx], tokens[idx], amount);
        vm.stopPrank();
    }

    function _registerOperator(address op, uint32 allocationDelay) internal {
        vm.prank(op);
        dm.registerAsOperator(address(0), allocationDelay, "ipfs://op");
    }

    function _delegate(address staker, address op) internal {
        DelegationManager.SignatureWithExpiry memory none;
        vm.prank(staker);
        dm.delegateTo(op, none, bytes32(0));
    }

    /// @dev Creates set `id` of `avs` holding all three strategies; returns the registrar.
    function _createSet(address avs, uint32 id, address slasher, address recipient)
        internal
        returns (TestRegistrar reg)
    {
        IAllocationManager.CreateSetParams[] memory p = new IAllocationManager.CreateSetParams[](1);
        p[0].operatorSetId = id;
        p[0].strategies = new IStrategy[](3);
        for (uint256 i = 0; i < 3; ++i) {
            p[0].strategies[i] = strategies[i];
        }
        p[0].slasher = slasher;
        reg = new TestRegistrar();
        vm.startPrank(avs);
        if (!am.isAVS(avs)) am.updateAVSMetadataURI(avs, "ipfs://avs");
        am.setAVSRegistrar(avs, reg);
        if (recipient == address(0)) {
            am.createOperatorSets(avs, p);
        } else {
            address[] memory r = new address[](1);
            r[0] = recipient;
            am.createRedistributingOperatorSets(avs, p, r);
        }
        vm.stopPrank();
    }

    function _registerForSet(address op, address avs, uint32 id) internal {
        vm.prank(op);
        am.registerForOperatorSets(op, IAllocationManager.RegisterParams(avs, _ids(id), ""));
    }

    function _allocate(address op, OperatorSet memory set, uint256 idx, uint64 mag) internal {
        AllocationManager.AllocateParams[] memory p = new AllocationManager.AllocateParams[](1);
        p[0].operatorSet = set;
        p[0].strategies = _one(strategies[idx]);
        p[0].newMagnitudes = new uint64[](1);
        p[0].newMagnitudes[0] = mag;
        vm.prank(op);
        am.modifyAllocations(op, p);
    }

    /// @dev Slashes, then clears the slash's shares in the strategy (tokens to the recipient).
    function _slash(address slasher, OperatorSet memory set, address op, uint256 idx, uint256 wad)
        internal
        returns (uint256 tokensOut)
    {
        IAllocationManager.SlashingParams memory p;
        p.operator = op;
        p.operatorSetId = set.id;
        p.strategies = _one(strategies[idx]);
        p.wadsToSlash = _oneU(wad);
        p.description = "fraud";
        vm.prank(slasher);
        (uint256 slashId,) = am.slashOperator(set.avs, p);
        tokensOut = sm.clearBurnOrRedistributableSharesByStrategy(set, slashId, strategies[idx]);
    }

    /// @dev Shares of `s` that `set` can slash from `op` now.
    function _slashable(OperatorSet memory set, address op, IStrategy s) internal view returns (uint256) {
        address[] memory ops = new address[](1);
        ops[0] = op;
        return am.getMinimumSlashableStake(set, ops, _one(s), uint32(block.number))[0][0];
    }

    function _deregister(address op, address avs, uint32 id) internal {
        am.deregisterFromOperatorSets(IAllocationManager.DeregisterParams(op, avs, _ids(id)));
    }

    function _queue(address staker, uint256 idx, uint256 depositShares)
        internal
        returns (DelegationManager.Withdrawal memory w)
    {
        DelegationManager.QueuedWithdrawalParams[] memory p =
            new DelegationManager.QueuedWithdrawalParams[](1);
        p[0].strategies = _one(strategies[idx]);
        p[0].depositShares = _oneU(depositShares);
        vm.prank(staker);
        bytes32[] memory roots = dm.queueWithdrawals(p);
        (w,) = dm.getQueuedWithdrawal(roots[0]);
    }

    function _withdrawable(address staker, uint256 idx) internal view returns (uint256) {
        return dm.withdrawableShares(staker, strategies[idx]);
    }

    function _tokenOf(uint256 idx) internal view returns (IERC20) {
        return IERC20(address(tokens[idx]));
    }
}
