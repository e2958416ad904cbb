// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IAllocationManager} from "../interfaces/IAllocationManager.sol";
import {IRewardsCoordinator} from "../interfaces/IRewardsCoordinator.sol";
import {IStrategyManager} from "../interfaces/IStrategyManager.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {OperatorRegistry} from "./OperatorRegistry.sol";
import {RouterRegistry} from "./RouterRegistry.sol";
import {SlashLib} from "./SlashLib.sol";

/// @title CoordinatorAdmin
/// @notice Owner-set configuration of the Coordinator and its one-time setup as an AVS on the
///         restaking core (EigenLayer's interface: metadata, registrar, a redistributing operator
///         set with this contract as slasher and fixed redistribution recipient, the
///         OperatorRegistry appointed to eject). Every parameter is bounded.
abstract contract CoordinatorAdmin is Ownable2Step {
    uint16 public constant BIPS = 10_000;
    /// @notice Upper bound of the protocol fee (20% of a node's price).
    uint16 public constant MAX_FEE_BIPS = 2_000;
    /// @notice Upper bound of the challenge window.
    uint32 public constant MAX_CHALLENGE_WINDOW = 30 days;

    IAllocationManager public immutable allocationManager;
    /// @notice The core's StrategyManager, which releases slashed shares as tokens.
    IStrategyManager public immutable strategyManager;
    IRewardsCoordinator public immutable rewards;
    ModelRegistry public immutable models;
    OperatorRegistry public immutable operators;
    /// @notice Sigil's operator set id (its AVS is this contract).
    uint32 public immutable operatorSetId;

    address public treasury;
    uint16 public feeBips;
    uint32 public challengeWindow;
    /// @notice The proof market (DisputeGame): the only caller of the slashing and dispute hooks.
    ///         Set once, so the owner can never point the hooks at a contract of its choosing.
    address public proofMarket;
    /// @notice The GenerationGame: the second caller of those hooks, for generation claims. Set once.
    address public generationGame;
    /// @notice Strategy whose delegators share node payments.
    IStrategy public rewardStrategy;
    bool public avsInitialized;
    /// @notice RouterRegistry whose routers' signed assignments `requestRouted` honours.
    RouterRegistry public routerRegistry;

    event TreasurySet(address treasury);
    event FeeBipsSet(uint16 bips);
    event ChallengeWindowSet(uint32 window);
    event ProofMarketSet(address proofMarket);
    event GenerationGameSet(address generationGame);
    event RewardStrategySet(IStrategy strategy);
    event AVSInitialized(uint32 operatorSetId);
    event RouterRegistrySet(RouterRegistry registry);

    error ZeroAddress();
    error InvalidBips(uint16 bips);
    error WindowTooLong(uint32 window);
    error NotProofMarket();
    error AlreadyInitialized();

    modifier onlyProofMarket() {
        _checkProofMarket();
        _;
    }

    /// @dev Out of line: the modifier guards four entry points, and the Coordinator is close to
    ///      the EIP-170 size limit.
    function _checkProofMarket() internal view {
        if (msg.sender != proofMarket && msg.sender != generationGame) revert NotProofMarket();
    }

    constructor(
        address initialOwner,
        IAllocationManager am,
        IStrategyManager sm,
        IRewardsCoordinator rc,
        ModelRegistry models_,
        OperatorRegistry operators_,
        uint32 setId,
        address treasury_
    ) Ownable(initialOwner) {
        if (treasury_ == address(0)) revert ZeroAddress();
        allocationManager = am;
        strategyManager = sm;
        rewards = rc;
        models = models_;
        operators = operators_;
        operatorSetId = setId;
        treasury = treasury_;
    }

    /// @notice Makes this contract an AVS with one operator set over `strategies`, slashed by
    ///         this contract and redistributing to it, with the OperatorRegistry as registrar and
    ///         as the appointee allowed to eject (SlashLib.setupAVS).
    function initializeAVS(
        string calldata metadataURI,
        IStrategy[] calldata strategies,
        IStrategy rewardStrategy_
    ) external onlyOwner {
        if (avsInitialized) revert AlreadyInitialized();
        avsInitialized = true;
        SlashLib.setupAVS(allocationManager, address(operators), operatorSetId, metadataURI, strategies);
        rewardStrategy = rewardStrategy_;
        emit RewardStrategySet(rewardStrategy_);
        emit AVSInitialized(operatorSetId);
    }

    function setTreasury(address t) external onlyOwner {
        if (t == address(0)) revert ZeroAddress();
        treasury = t;
        emit TreasurySet(t);
    }

    /// @notice Fee on each node's price, at most MAX_FEE_BIPS; applies to later requests.
    function setFeeBips(uint16 bips) external onlyOwner {
        if (bips > MAX_FEE_BIPS) revert InvalidBips(bips);
        feeBips = bips;
        emit FeeBipsSet(bips);
    }

    /// @notice Challenge window of later requests, at most MAX_CHALLENGE_WINDOW.
    function setChallengeWindow(uint32 window) external onlyOwner {
        if (window > MAX_CHALLENGE_WINDOW) revert WindowTooLong(window);
        challengeWindow = window;
        emit ChallengeWindowSet(window);
    }

    /// @notice Names the proof market, once (AlreadyInitialized afterwards).
    function setProofMarket(address market) external onlyOwner {
        if (proofMarket != address(0)) revert AlreadyInitialized();
        if (market == address(0)) revert ZeroAddress();
        proofMarket = market;
        emit ProofMarketSet(market);
    }

    /// @notice Names the generation game, once (AlreadyInitialized afterwards).
    function setGenerationGame(address game) external onlyOwner {
        if (generationGame != address(0)) revert AlreadyInitialized();
        if (game == address(0)) revert ZeroAddress();
        generationGame = game;
        emit GenerationGameSet(game);
    }

    function setRouterRegistry(RouterRegistry r) external onlyOwner {
        routerRegistry = r;
        emit RouterRegistrySet(r);
    }

    function setRewardStrategy(IStrategy s) external onlyOwner {
        rewardStrategy = s;
        emit RewardStrategySet(s);
    }
}
