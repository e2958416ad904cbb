// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {IAllocationManager} from "../../src/interfaces/IAllocationManager.sol";
import {OperatorSet} from "../../src/interfaces/OperatorSet.sol";
import {StrategyManager} from "../../src/core/StrategyManager.sol";
import {DelegationManager} from "../../src/core/DelegationManager.sol";
import {AllocationManager} from "../../src/core/AllocationManager.sol";
import {RewardsCoordinator} from "../../src/core/RewardsCoordinator.sol";
import {TestToken} from "./mocks/TestToken.sol";

/// @notice Drives random stakers, operators, AVSs and slashers through the whole core and keeps
///         the ghost state the invariants need.
contract CoreHandler is Test {
    uint256 internal constant WAD = 1e18;
    uint256 public constant N_ACTORS = 5; // actors[0..1] are operators
    uint256 public constant N_STRATEGIES = 2;

    StrategyManager internal sm;
    DelegationManager internal dm;
    AllocationManager internal am;
    RewardsCoordinator internal rc;
    TestToken[2] internal tokens;
    IStrategy[2] internal strats;
    TestToken public reward;
    address[5] public actors;
    OperatorSet[2] internal sets;

    DelegationManager.Withdrawal[] internal _pending;
    mapping(address => mapping(IStrategy => uint256)) internal _lastMag;

    bool public magnitudeIncreased;
    bool public slashedBeyondAllocation;
    bool public completedEarly;
    /// @notice Upper bound of the shares rounding may strand in strategies (see invariant docs).
    uint256 public roundingAllowance;
    uint256 public slashes;
    uint256 public completions;

    constructor(
        StrategyManager sm_,
        DelegationManager dm_,
        AllocationManager am_,
        RewardsCoordinator rc_,
        TestToken[2] memory tokens_,
        IStrategy[2] memory strats_,
        address[5] memory actors_,
        OperatorSet[2] memory sets_
    ) {
        (sm, dm, am, rc) = (sm_, dm_, am_, rc_);
        tokens = tokens_;
        strats = strats_;
        actors = actors_;
        sets[0] = sets_[0];
        sets[1] = sets_[1];
        reward = new TestToken("RW");
        for (uint256 i = 0; i < 2; ++i) {
            for (uint256 j = 0; j < 2; ++j) {
                _lastMag[actors[i]][strats[j]] = WAD;
            }
        }
    }

    modifier tracked() {
        _;
        _trackMagnitudes();
    }

    // ---------------------------------------------------------------- actions

    function deposit(uint256 actorSeed, uint256 stratSeed, uint256 amount) external tracked {
        address a = actors[actorSeed % N_ACTORS];
        uint256 s = stratSeed % N_STRATEGIES;
        amount = bound(amount, 1, 1e24);
        tokens[s].mint(a, amount);
        vm.startPrank(a);
        tokens[s].approve(address(sm), amount);
        try sm.depositIntoStrategy(strats[s], tokens[s], amount) {
            roundingAllowance += 2;
        } catch {}
        vm.stopPrank();
    }

    function delegate(uint256 stakerSeed, uint256 opSeed) external tracked {
        address staker = actors[2 + stakerSeed % 3];
        if (dm.delegatedTo(staker) != address(0)) return;
        DelegationManager.SignatureWithExpiry memory none;
        vm.prank(staker);
        try dm.delegateTo(actors[opSeed % 2], none, 0) {
            roundingAllowance += 2 * N_STRATEGIES;
        } catch {}
    }

    function undelegate(uint256 stakerSeed) external tracked {
        address staker = actors[2 + stakerSeed % 3];
        if (dm.delegatedTo(staker) == address(0)) return;
        vm.prank(staker);
        bytes32 root = dm.undelegate(staker);
        if (root != bytes32(0)) _push(root);
    }

    function queue(uint256 actorSeed, uint256 stratSeed, uint256 amount) external tracked {
        address a = actors[actorSeed % N_ACTORS];
        IStrategy s = strats[stratSeed % N_STRATEGIES];
        uint256 d = sm.stakerDepositShares(a, s);
        if (d == 0) return;
        DelegationManager.QueuedWithdrawalParams[] memory p =
            new DelegationManager.QueuedWithdrawalParams[](1);
        p[0].strategies = new IStrategy[](1);
        p[0].strategies[0] = s;
        p[0].depositShares = new uint256[](1);
        p[0].depositShares[0] = bound(amount, 1, d);
        vm.prank(a);
        bytes32[] memory roots = dm.queueWithdrawals(p);
        _push(roots[0]);
        roundingAllowance += 1;
    }

    /// @dev Optionally tries to complete in the withdrawal's last slashable block (must fail), then
    ///      optionally waits the delay out and completes.
    function complete(uint256 idxSeed, bool asTokens, bool tryEarly, bool wait) external tracked {
        if (_pending.length == 0) return;
        uint256 i = idxSeed % _pending.length;
        DelegationManager.Withdrawal memory w = _pending[i];
        uint256 slashableUntil = uint256(w.startBlock) + dm.withdrawalDelayBlocks();
        if (block.number <= slashableUntil) {
            if (tryEarly) {
                // the last slashable block is the earliest boundary a bug would let through
                vm.roll(slashableUntil);
                vm.prank(w.staker);
                try dm.completeQueuedWithdrawal(w, asTokens) {
                    completedEarly = true;
                } catch {}
            }
            if (!wait) return;
            vm.roll(slashableUntil + 1);
        }
        vm.prank(w.staker);
        try dm.completeQueuedWithdrawal(w, asTokens) {
            if (block.number <= slashableUntil) completedEarly = true;
            _pending[i] = _pending[_pending.length - 1];
            _pending.pop();
            ++completions;
            roundingAllowance += 2 * w.strategies.length;
        } catch {}
    }

    function allocate(uint256 opSeed, uint256 setSeed, uint256 stratSeed, uint256 magSeed) external tracked {
        address op = actors[opSeed % 2];
        OperatorSet memory set = sets[setSeed % 2];
        IStrategy s = strats[stratSeed % N_STRATEGIES];
        AllocationManager.Allocation memory a = am.getAllocation(op, set, s);
        if (a.pendingDiff != 0) return;
        uint256 free = am.getMaxMagnitude(op, s) - am.getEncumberedMagnitude(op, s);
        uint64 mag = uint64(bound(magSeed, 0, a.currentMagnitude + free));
        if (mag == a.currentMagnitude) return;
        AllocationManager.AllocateParams[] memory p = new AllocationManager.AllocateParams[](1);
        p[0].operatorSet = set;
        p[0].strategies = new IStrategy[](1);
        p[0].strategies[0] = s;
        p[0].newMagnitudes = new uint64[](1);
        p[0].newMagnitudes[0] = mag;
        vm.prank(op);
        am.modifyAllocations(op, p);
    }

    function slash(uint256 opSeed, uint256 setSeed, uint256 stratSeed, uint256 wadSeed) external tracked {
        address op = actors[opSeed % 2];
        OperatorSet memory set = sets[setSeed % 2];
        IStrategy s = strats[stratSeed % N_STRATEGIES];
        if (!am.isOperatorSlashable(op, set)) return;
        uint256 cur = am.getAllocation(op, set, s).currentMagnitude;
        if (cur == 0) return;
        uint256 prevMax = am.getMaxMagnitude(op, s);
        uint256 exposed =
            dm.operatorShares(op, s) + Math.mulDiv(dm.slashableQueuedScaledShares(op, s), prevMax, WAD);
        uint256 totalBefore = s.totalShares();
        IAllocationManager.SlashingParams memory p;
        p.operator = op;
        p.operatorSetId = set.id;
        p.strategies = new IStrategy[](1);
        p.strategies[0] = s;
        p.wadsToSlash = new uint256[](1);
        p.wadsToSlash[0] = bound(wadSeed, 1, WAD);
        vm.prank(set.avs);
        (uint256 slashId,) = am.slashOperator(set.avs, p);
        // The slash moved no tokens; clearing releases its shares from the strategy.
        sm.clearBurnOrRedistributableSharesByStrategy(set, slashId, s);
        uint256 magLost = prevMax - am.getMaxMagnitude(op, s);
        uint256 sharesLost = totalBefore - s.totalShares();
        if (magLost > cur) slashedBeyondAllocation = true;
        if (prevMax > 0 && sharesLost > Math.mulDiv(exposed, cur, prevMax, Math.Rounding.Ceil) + 2) {
            slashedBeyondAllocation = true;
        }
        ++slashes;
        roundingAllowance += N_ACTORS + _pending.length + 2;
    }

    function register(uint256 opSeed, uint256 setSeed) external tracked {
        address op = actors[opSeed % 2];
        OperatorSet memory set = sets[setSeed % 2];
        if (am.isMemberOfOperatorSet(op, set)) return;
        uint32[] memory ids = new uint32[](1);
        ids[0] = set.id;
        vm.prank(op);
        am.registerForOperatorSets(op, IAllocationManager.RegisterParams(set.avs, ids, ""));
    }

    function deregister(uint256 opSeed, uint256 setSeed) external tracked {
        address op = actors[opSeed % 2];
        OperatorSet memory set = sets[setSeed % 2];
        if (!am.isMemberOfOperatorSet(op, set)) return;
        uint32[] memory ids = new uint32[](1);
        ids[0] = set.id;
        vm.prank(op);
        am.deregisterFromOperatorSets(IAllocationManager.DeregisterParams(op, set.avs, ids));
    }

    function fund(uint256 opSeed, uint256 setSeed, uint256 stratSeed, uint256 amount) external tracked {
        address op = actors[opSeed % 2];
        OperatorSet memory set = sets[setSeed % 2];
        if (!am.isMemberOfOperatorSet(op, set)) return;
        amount = bound(amount, 1, 1e24);
        reward.mint(set.avs, amount);
        vm.startPrank(set.avs);
        reward.approve(address(rc), amount);
        rc.fundOperator(set, op, strats[stratSeed % N_STRATEGIES], reward, amount);
        vm.stopPrank();
    }

    function fundSet(uint256 setSeed, uint256 stratSeed, uint256 amount) external tracked {
        OperatorSet memory set = sets[setSeed % 2];
        amount = bound(amount, 1, 1e24);
        reward.mint(set.avs, amount);
        vm.startPrank(set.avs);
        reward.approve(address(rc), amount);
        try rc.fundOperatorSet(set, strats[stratSeed % N_STRATEGIES], reward, amount) {} catch {}
        vm.stopPrank();
    }

    function claim(uint256 actorSeed) external tracked {
        address a = actors[actorSeed % N_ACTORS];
        vm.prank(a);
        try rc.claim(reward, strategyList(), a) {} catch {}
    }

    function advance(uint256 blocks) external tracked {
        vm.roll(block.number + bound(blocks, 1, 40));
    }

    // ---------------------------------------------------------------- views for invariants

    function strategyList() public view returns (IStrategy[] memory list) {
        list = new IStrategy[](N_STRATEGIES);
        for (uint256 i = 0; i < N_STRATEGIES; ++i) {
            list[i] = strats[i];
        }
    }

    function strategyAt(uint256 i) external view returns (IStrategy) {
        return strats[i];
    }

    function tokenAt(uint256 i) external view returns (TestToken) {
        return tokens[i];
    }

    function pendingCount() external view returns (uint256) {
        return _pending.length;
    }

    function pendingRoot(uint256 i) external view returns (bytes32) {
        return keccak256(abi.encode(_pending[i]));
    }

    // ---------------------------------------------------------------- internals

    function _push(bytes32 root) internal {
        (DelegationManager.Withdrawal memory w,) = dm.getQueuedWithdrawal(root);
        _pending.push(w);
    }

    function _trackMagnitudes() internal {
        for (uint256 i = 0; i < 2; ++i) {
            for (uint256 j = 0; j < N_STRATEGIES; ++j) {
                uint256 m = am.getMaxMagnitude(actors[i], strats[j]);
                if (m > _lastMag[actors[i]][strats[j]]) magnitudeIncreased = true;
                _lastMag[actors[i]][strats[j]] = m;
            }
        }
    }
}
