// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {OperatorSet} from "../../src/interfaces/OperatorSet.sol";
import {DelegationManager} from "../../src/core/DelegationManager.sol";
import {AllocationManager} from "../../src/core/AllocationManager.sol";
import {StrategyManager} from "../../src/core/StrategyManager.sol";
import {RewardsCoordinator} from "../../src/core/RewardsCoordinator.sol";
import {PausableOwned} from "../../src/core/PausableOwned.sol";
import {CoreBase} from "./CoreBase.sol";

contract DelegationManagerTest is CoreBase {
    address internal op = makeAddr("operator");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal avs = makeAddr("avs");
    uint256 internal approverKey = 0xA11CE;
    address internal approver;

    function setUp() public override {
        super.setUp();
        approver = vm.addr(approverKey);
    }

    function _sig(address staker, address operator, bytes32 salt, uint256 expiry)
        internal
        view
        returns (DelegationManager.SignatureWithExpiry memory s)
    {
        bytes32 digest = dm.calculateDelegationApprovalDigestHash(staker, operator, approver, salt, expiry);
        (uint8 v, bytes32 r, bytes32 ss) = vm.sign(approverKey, digest);
        s.signature = abi.encodePacked(r, ss, v);
        s.expiry = expiry;
    }

    function _registerWithApprover() internal {
        vm.prank(op);
        dm.registerAsOperator(approver, 0, "uri");
    }

    // ------------------------------------------------------------ registration

    function test_registerAsOperator_selfDelegates() public {
        _deposit(op, 0, 7e18);
        vm.expectEmit(true, false, false, true, address(dm));
        emit DelegationManager.OperatorRegistered(op, address(0));
        _registerOperator(op, 5);
        assertTrue(dm.isOperator(op));
        assertEq(dm.delegatedTo(op), op);
        assertEq(dm.operatorShares(op, strategies[0]), 7e18);
        (bool isSet, uint32 delay) = am.getAllocationDelay(op);
        assertTrue(isSet);
        assertEq(delay, 5);
    }

    function test_registerAsOperator_revertsWhenDelegated() public {
        _registerOperator(op, 0);
        vm.prank(op);
        vm.expectRevert(DelegationManager.AlreadyDelegated.selector);
        dm.registerAsOperator(address(0), 0, "");
        _delegate(alice, op);
        vm.prank(alice);
        vm.expectRevert(DelegationManager.AlreadyDelegated.selector);
        dm.registerAsOperator(address(0), 0, "");
    }

    function test_registerAsOperator_paused() public {
        vm.prank(owner);
        dm.setPausedFlags(1 << 0);
        vm.prank(op);
        vm.expectRevert(abi.encodeWithSelector(PausableOwned.FunctionPaused.selector, 0));
        dm.registerAsOperator(address(0), 0, "");
    }

    function test_operatorDetails_onlyOperator() public {
        vm.prank(alice);
        vm.expectRevert(DelegationManager.NotAnOperator.selector);
        dm.modifyDelegationApprover(alice);
        vm.prank(alice);
        vm.expectRevert(DelegationManager.NotAnOperator.selector);
        dm.updateOperatorMetadataURI("x");
        _registerOperator(op, 0);
        vm.prank(op);
        dm.modifyDelegationApprover(approver);
        assertEq(dm.delegationApprover(op), approver);
        vm.expectEmit(true, false, false, true, address(dm));
        emit DelegationManager.OperatorMetadataURIUpdated(op, "new");
        vm.prank(op);
        dm.updateOperatorMetadataURI("new");
    }

    function test_setRewardsCoordinator_once() public {
        vm.prank(owner);
        vm.expectRevert(DelegationManager.AlreadyInitialized.selector);
        dm.setRewardsCoordinator(rc);
        DelegationManager fresh = new DelegationManager(owner, sm, am, WITHDRAWAL_DELAY);
        vm.prank(owner);
        vm.expectRevert(DelegationManager.ZeroAddress.selector);
        fresh.setRewardsCoordinator(RewardsCoordinator(address(0)));
    }

    function test_constructor_rejectsShortWithdrawalDelay() public {
        vm.expectRevert(DelegationManager.WithdrawalDelayTooShort.selector);
        new DelegationManager(owner, sm, am, DEALLOCATION_DELAY - 1);
    }

    // ------------------------------------------------------------ delegation

    function test_delegateTo_movesShares() public {
        _registerOperator(op, 0);
        _deposit(alice, 0, 3e18);
        _deposit(alice, 1, 2e18);
        _delegate(alice, op);
        assertEq(dm.delegatedTo(alice), op);
        assertEq(dm.operatorShares(op, strategies[0]), 3e18);
        assertEq(dm.operatorShares(op, strategies[1]), 2e18);
        _deposit(alice, 0, 1e18);
        assertEq(dm.operatorShares(op, strategies[0]), 4e18);
        uint256[] memory shares = dm.getOperatorShares(op, _one(strategies[0]));
        assertEq(shares[0], 4e18);
    }

    function test_delegateTo_reverts() public {
        DelegationManager.SignatureWithExpiry memory none;
        vm.prank(alice);
        vm.expectRevert(DelegationManager.NotAnOperator.selector);
        dm.delegateTo(op, none, 0);
        _registerOperator(op, 0);
        _delegate(alice, op);
        vm.prank(alice);
        vm.expectRevert(DelegationManager.AlreadyDelegated.selector);
        dm.delegateTo(op, none, 0);
        vm.prank(owner);
        dm.setPausedFlags(1 << 1);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(PausableOwned.FunctionPaused.selector, 1));
        dm.delegateTo(op, none, 0);
    }

    function test_delegateTo_withApproverSignature() public {
        _registerWithApprover();
        DelegationManager.SignatureWithExpiry memory s = _sig(alice, op, "salt", block.timestamp + 1);
        vm.prank(alice);
        dm.delegateTo(op, s, "salt");
        assertEq(dm.delegatedTo(alice), op);
        assertTrue(dm.delegationApproverSaltIsSpent(approver, "salt"));
    }

    function test_delegateTo_signatureReplayRejected() public {
        _registerWithApprover();
        DelegationManager.SignatureWithExpiry memory s = _sig(alice, op, "salt", block.timestamp + 1);
        vm.prank(alice);
        dm.delegateTo(op, s, "salt");
        vm.prank(alice);
        dm.undelegate(alice);
        vm.prank(alice);
        vm.expectRevert(DelegationManager.SaltSpent.selector);
        dm.delegateTo(op, s, "salt");
    }

    function test_delegateTo_expiredSignatureRejected() public {
        _registerWithApprover();
        DelegationManager.SignatureWithExpiry memory s = _sig(alice, op, "salt", block.timestamp - 1);
        vm.prank(alice);
        vm.expectRevert(DelegationManager.SignatureExpired.selector);
        dm.delegateTo(op, s, "salt");
    }

    function test_delegateTo_signatureForOtherStakerRejected() public {
        _registerWithApprover();
        DelegationManager.SignatureWithExpiry memory s = _sig(bob, op, "salt", block.timestamp + 1);
        vm.prank(alice);
        vm.expectRevert(DelegationManager.InvalidSignature.selector);
        dm.delegateTo(op, s, "salt");
    }

    function testFuzz_delegateTo_wrongKeyRejected(uint256 key) public {
        key = bound(key, 1, 1e70);
        vm.assume(key != approverKey);
        _registerWithApprover();
        bytes32 digest = dm.calculateDelegationApprovalDigestHash(alice, op, approver, "s", block.timestamp);
        (uint8 v, bytes32 r, bytes32 ss) = vm.sign(key, digest);
        DelegationManager.SignatureWithExpiry memory s =
            DelegationManager.SignatureWithExpiry(abi.encodePacked(r, ss, v), block.timestamp);
        vm.prank(alice);
        vm.expectRevert(DelegationManager.InvalidSignature.selector);
        dm.delegateTo(op, s, "s");
    }

    function test_delegateTo_approverItselfNeedsNoSignature() public {
        _registerWithApprover();
        DelegationManager.SignatureWithExpiry memory none;
        vm.prank(approver);
        dm.delegateTo(op, none, 0);
        assertEq(dm.delegatedTo(approver), op);
    }

    function test_delegateTo_fullySlashedOperatorRejected() public {
        _registerOperator(op, 0);
        OperatorSet memory set = OperatorSet(avs, 1);
        _createSet(avs, 1, avs, address(0));
        _registerForSet(op, avs, 1);
        _allocate(op, set, 0, uint64(WAD));
        vm.roll(block.number + 1);
        _slash(avs, set, op, 0, WAD);
        assertEq(am.getMaxMagnitude(op, strategies[0]), 0);
        _deposit(alice, 0, 1e18);
        DelegationManager.SignatureWithExpiry memory none;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(DelegationManager.FullySlashed.selector, op, strategies[0]));
        dm.delegateTo(op, none, 0);
        // a staker without shares in that strategy may still delegate
        _deposit(bob, 1, 1e18);
        _delegate(bob, op);
        // but cannot then deposit into the fully slashed strategy
        tokens[0].mint(bob, 1);
        vm.startPrank(bob);
        tokens[0].approve(address(sm), 1);
        vm.expectRevert(abi.encodeWithSelector(DelegationManager.FullySlashed.selector, op, strategies[0]));
        sm.depositIntoStrategy(strategies[0], tokens[0], 1);
        vm.stopPrank();
    }

    // ------------------------------------------------------------ undelegation

    function test_undelegate_queuesEverything() public {
        _registerOperator(op, 0);
        _deposit(alice, 0, 3e18);
        _deposit(alice, 2, 1e18);
        _delegate(alice, op);
        vm.prank(alice);
        bytes32 root = dm.undelegate(alice);
        assertEq(dm.delegatedTo(alice), address(0));
        assertEq(dm.operatorShares(op, strategies[0]), 0);
        assertEq(sm.stakerStrategyListLength(alice), 0);
        assertTrue(dm.pendingWithdrawals(root));
        (DelegationManager.Withdrawal memory w, uint256[] memory shares) = dm.getQueuedWithdrawal(root);
        assertEq(w.strategies.length, 2);
        assertEq(shares[0] + shares[1], 4e18);
        assertEq(dm.getQueuedWithdrawalRoots(alice)[0], root);
    }

    function test_undelegate_byOperatorAndApprover() public {
        _registerWithApprover();
        _deposit(alice, 0, 1e18);
        vm.prank(approver);
        dm.delegateTo(op, DelegationManager.SignatureWithExpiry("", 0), 0);
        vm.prank(op);
        dm.undelegate(approver);
        vm.prank(approver);
        dm.delegateTo(op, DelegationManager.SignatureWithExpiry("", 0), 0);
        vm.prank(approver);
        dm.undelegate(approver);
        assertEq(dm.delegatedTo(approver), address(0));
    }

    function test_undelegate_emptyStakerReturnsZeroRoot() public {
        _registerOperator(op, 0);
        _delegate(alice, op);
        vm.prank(alice);
        assertEq(dm.undelegate(alice), bytes32(0));
    }

    function test_undelegate_reverts() public {
        vm.expectRevert(DelegationManager.NotDelegated.selector);
        dm.undelegate(alice);
        _registerOperator(op, 0);
        vm.prank(op);
        vm.expectRevert(DelegationManager.OperatorsCannotUndelegate.selector);
        dm.undelegate(op);
        _delegate(alice, op);
        vm.prank(bob);
        vm.expectRevert(DelegationManager.Unauthorized.selector);
        dm.undelegate(alice);
        vm.prank(owner);
        dm.setPausedFlags(1 << 2);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(PausableOwned.FunctionPaused.selector, 2));
        dm.undelegate(alice);
    }

    // ------------------------------------------------------------ withdrawals

    function test_queueWithdrawal_partial() public {
        _registerOperator(op, 0);
        _deposit(alice, 0, 10e18);
        _delegate(alice, op);
        DelegationManager.Withdrawal memory w = _queue(alice, 0, 4e18);
        assertEq(w.staker, alice);
        assertEq(w.delegatedTo, op);
        assertEq(w.nonce, 0);
        assertEq(w.scaledShares[0], 4e18);
        assertEq(dm.operatorShares(op, strategies[0]), 6e18);
        assertEq(_withdrawable(alice, 0), 6e18);
        assertEq(dm.slashableQueuedScaledShares(op, strategies[0]), 4e18);
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        assertEq(dm.slashableQueuedScaledShares(op, strategies[0]), 0);
        assertEq(dm.cumulativeWithdrawalsQueued(alice), 1);
    }

    function test_queueWithdrawals_reverts() public {
        _deposit(alice, 0, 10);
        DelegationManager.QueuedWithdrawalParams[] memory p =
            new DelegationManager.QueuedWithdrawalParams[](1);
        p[0].strategies = _one(strategies[0]);
        p[0].depositShares = new uint256[](0);
        vm.startPrank(alice);
        vm.expectRevert(DelegationManager.InputArrayLengthMismatch.selector);
        dm.queueWithdrawals(p);
        p[0].strategies = new IStrategy[](0);
        vm.expectRevert(DelegationManager.EmptyWithdrawal.selector);
        dm.queueWithdrawals(p);
        p[0].strategies = _one(strategies[0]);
        p[0].depositShares = _oneU(11);
        vm.expectRevert(abi.encodeWithSelector(DelegationManager.InvalidDepositShares.selector, 11, 10));
        dm.queueWithdrawals(p);
        p[0].depositShares = _oneU(0);
        vm.expectRevert(abi.encodeWithSelector(DelegationManager.InvalidDepositShares.selector, 0, 10));
        dm.queueWithdrawals(p);
        vm.stopPrank();
        vm.prank(owner);
        dm.setPausedFlags(1 << 3);
        p[0].depositShares = _oneU(1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(PausableOwned.FunctionPaused.selector, 3));
        dm.queueWithdrawals(p);
    }

    function test_completeWithdrawal_asTokens() public {
        _deposit(alice, 0, 10e18);
        DelegationManager.Withdrawal memory w = _queue(alice, 0, 10e18);
        vm.roll(block.number + WITHDRAWAL_DELAY);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                DelegationManager.WithdrawalDelayNotElapsed.selector, w.startBlock + WITHDRAWAL_DELAY
            )
        );
        dm.completeQueuedWithdrawal(w, true);
        vm.roll(block.number + 1);
        vm.prank(bob);
        vm.expectRevert(DelegationManager.WithdrawerNotStaker.selector);
        dm.completeQueuedWithdrawal(w, true);
        vm.prank(alice);
        dm.completeQueuedWithdrawal(w, true);
        assertEq(tokens[0].balanceOf(alice), 10e18);
        vm.prank(alice);
        vm.expectRevert(DelegationManager.WithdrawalNotQueued.selector);
        dm.completeQueuedWithdrawal(w, true);
        assertEq(dm.getQueuedWithdrawalRoots(alice).length, 0);
    }

    function test_completeWithdrawal_asSharesJoinsNewDelegation() public {
        address op2 = makeAddr("op2");
        _registerOperator(op, 0);
        _registerOperator(op2, 0);
        _deposit(alice, 0, 10e18);
        _delegate(alice, op);
        vm.prank(alice);
        bytes32 root = dm.undelegate(alice);
        (DelegationManager.Withdrawal memory w,) = dm.getQueuedWithdrawal(root);
        _delegate(alice, op2);
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        vm.prank(alice);
        dm.completeQueuedWithdrawal(w, false);
        assertEq(dm.operatorShares(op2, strategies[0]), 10e18);
        assertEq(dm.operatorShares(op, strategies[0]), 0);
        assertEq(sm.stakerDepositShares(alice, strategies[0]), 10e18);
    }

    function test_completeWithdrawals_batch() public {
        _deposit(alice, 0, 10e18);
        DelegationManager.Withdrawal[] memory ws = new DelegationManager.Withdrawal[](2);
        ws[0] = _queue(alice, 0, 3e18);
        ws[1] = _queue(alice, 0, 7e18);
        bool[] memory asTokens = new bool[](2);
        asTokens[0] = true;
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        vm.prank(alice);
        vm.expectRevert(DelegationManager.InputArrayLengthMismatch.selector);
        dm.completeQueuedWithdrawals(ws, new bool[](1));
        vm.prank(alice);
        dm.completeQueuedWithdrawals(ws, asTokens);
        assertEq(tokens[0].balanceOf(alice), 3e18);
        assertEq(sm.stakerDepositShares(alice, strategies[0]), 7e18);
    }

    function test_completeWithdrawal_paused() public {
        _deposit(alice, 0, 10);
        DelegationManager.Withdrawal memory w = _queue(alice, 0, 10);
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        vm.prank(owner);
        dm.setPausedFlags(1 << 4);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(PausableOwned.FunctionPaused.selector, 4));
        dm.completeQueuedWithdrawal(w, true);
    }

    function testFuzz_queueComplete_roundTrip(uint96 amount, uint96 part) public {
        uint256 a = bound(amount, 1, 1e27);
        uint256 x = bound(part, 1, a);
        _registerOperator(op, 0);
        _deposit(alice, 1, a);
        _delegate(alice, op);
        DelegationManager.Withdrawal memory w = _queue(alice, 1, x);
        assertEq(dm.operatorShares(op, strategies[1]) + w.scaledShares[0], a);
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        vm.prank(alice);
        dm.completeQueuedWithdrawal(w, true);
        assertEq(tokens[1].balanceOf(alice), x);
        assertEq(_withdrawable(alice, 1), a - x);
    }

    // ------------------------------------------------------------ access control of hooks

    function test_hooks_onlyCore() public {
        vm.expectRevert(DelegationManager.OnlyStrategyManager.selector);
        dm.increaseDelegatedShares(alice, strategies[0], 0, 1);
        vm.expectRevert(DelegationManager.OnlyAllocationManager.selector);
        dm.slashOperatorShares(op, OperatorSet(alice, 1), 1, strategies[0], WAD, WAD / 2);
    }

    function test_views_defaults() public view {
        assertEq(dm.depositScalingFactor(alice, strategies[0]), WAD);
        (uint256[] memory w, uint256[] memory d) = dm.getWithdrawableShares(alice, _one(strategies[0]));
        assertEq(w[0], 0);
        assertEq(d[0], 0);
        assertTrue(dm.domainSeparator() != bytes32(0));
    }

    function test_depositScalingFactor_afterSlash() public {
        _registerOperator(op, 0);
        OperatorSet memory set = OperatorSet(avs, 1);
        _createSet(avs, 1, avs, address(0));
        _registerForSet(op, avs, 1);
        _allocate(op, set, 0, uint64(WAD));
        vm.roll(block.number + 1);
        _slash(avs, set, op, 0, WAD / 2);
        _deposit(alice, 0, 1e18);
        _delegate(alice, op);
        // max magnitude 0.5: dsf doubles so that withdrawable stays 1e18
        assertEq(dm.depositScalingFactor(alice, strategies[0]), 2 * WAD);
        assertEq(_withdrawable(alice, 0), 1e18);
    }

    /// Golden EIP-712 values computed independently with cast (foundry 1.7.1):
    ///   TH = cast keccak "DelegationApproval(address approver,address staker,address operator,bytes32 salt,uint256 expiry)"
    ///   DT = cast keccak "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    ///   DS = cast keccak $(cast abi-encode 'f(bytes32,bytes32,bytes32,uint256,address)' $DT \
    ///          $(cast keccak SigilDelegationManager) $(cast keccak 1) 31337 0xF62849F9A0B5Bf2913b396098F7c7019b51A820a)
    ///   SH = cast keccak $(cast abi-encode 'f(bytes32,address,address,address,bytes32,uint256)' $TH \
    ///          0x...CAFE 0x...A11CE 0x...0B0B 0x...07 1700000000)      (approver, staker, operator, salt, expiry)
    ///   digest = cast keccak 0x1901${DS}${SH}
    function test_eip712_goldenVectors() public view {
        assertEq(address(dm), 0xF62849F9A0B5Bf2913b396098F7c7019b51A820a);
        assertEq(
            dm.DELEGATION_APPROVAL_TYPEHASH(),
            0xa46cd4f052a41f953abd28319202528864e67e7d931248d892e88625cbf6bc92
        );
        assertEq(dm.domainSeparator(), 0x4429ba0e583478a61ab1799958f9064667d712360af3b6e8e2fdca90948b49f0);
        assertEq(
            dm.calculateDelegationApprovalDigestHash(
                address(0xA11CE), address(0x0B0B), address(0xCAFE), bytes32(uint256(7)), 1700000000
            ),
            0x542d18a220e90d66248ba09e46d036a0d47688fd7452509390a88423fc607985
        );
    }
}
