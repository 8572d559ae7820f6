// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable-next-line max-line-length
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {
    ISkewPool,
    ParamBounds,
    ParamSteps,
    PoolConfig,
    PoolParams,
    PoolState,
    SurgeWidthLimits
} from "./interfaces/ISkewPool.sol";
import {Side, SwapQuote} from "./libraries/SkewTypes.sol";
import {AdminLogic} from "./pool/AdminLogic.sol";
import {DepositLimits, LiquidityLogic} from "./pool/LiquidityLogic.sol";
import {
    DEAD_ADDRESS as DEAD,
    MAX_PROTOCOL_SHARE as MAX_SHARE,
    MINIMUM_LIQUIDITY as MIN_LIQUIDITY,
    PoolImmutables,
    PoolStorage
} from "./pool/PoolStorage.sol";
import {SwapLogic} from "./pool/SwapLogic.sol";

/// @title SkewPool
/// @author Skew
/// @notice An oracle-anchored, inventory-skewed AMM pool for one base/quote pair, and its LP share token.
/// @dev The pool holds the storage, the immutables, the LP token, the roles, the pause and the reentrancy
///      guard. The swap, the quote views, `getState`, liquidity and configuration run out of line in the
///      linked libraries `SwapLogic`, `LiquidityLogic` and `AdminLogic` (DELEGATECALL on the pool's storage),
///      which keeps the pool under the 24 KB code size limit: the swap was compiled in until issue 11's fee and
///      liquidity rules and issue 17's finer targets took the pool past it (the DELEGATECALL costs ~3k gas).
///      A swap reads four slots (`reserves`, `targets`, `config`, the keeper-and-surge slot; `protocolFees` only
///      when fees are owed)
///      and writes `reserves` and `targets`. The pause flag is packed in `config`, so `paused`, `_pause`
///      and `_unpause` are overridden and OpenZeppelin's own `Pausable._paused` slot stays unused.
contract SkewPool is ISkewPool, ERC20Permit, AccessControlDefaultAdminRules, Pausable, ReentrancyGuardTransient {
    /// @notice Role that may call `setParams`.
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    /// @notice Role that may pause and unpause swaps and deposits.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice Shares the first deposit mints to `DEAD_ADDRESS` and locks forever.
    uint256 public constant MINIMUM_LIQUIDITY = MIN_LIQUIDITY;
    /// @notice Holder of the locked minimum liquidity.
    address public constant DEAD_ADDRESS = DEAD;
    /// @notice Cap of the protocol's share of the fee, pips of the fee.
    uint32 public constant MAX_PROTOCOL_SHARE = MAX_SHARE;

    IERC20 private immutable BASE;
    IERC20 private immutable QUOTE;
    AggregatorV3Interface private immutable FEED;
    address private immutable FACTORY;
    uint256 private immutable BASE_SCALE;
    uint256 private immutable QUOTE_SCALE;
    uint8 private immutable BASE_DECIMALS;
    uint8 private immutable QUOTE_DECIMALS;
    uint8 private immutable FEED_DECIMALS;

    PoolStorage private _s;

    /// @notice Only the guardian or the default admin.
    modifier onlyGuardianOrAdmin() {
        if (!hasRole(GUARDIAN_ROLE, msg.sender) && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, GUARDIAN_ROLE);
        }
        _;
    }

    /// @notice Creates the pool; normally called by `SkewFactory`, which validates `cfg` first.
    /// @param cfg Tokens, feed, initial parameters, bounds, steps, limits and roles.
    constructor(
        PoolConfig memory cfg
    )
        ERC20(_lpName(cfg.base, cfg.quote), _lpSymbol(cfg.base, cfg.quote))
        ERC20Permit(_lpName(cfg.base, cfg.quote))
        AccessControlDefaultAdminRules(cfg.adminDelay, cfg.admin)
    {
        uint8 baseDecimals = IERC20Metadata(cfg.base).decimals();
        uint8 quoteDecimals = IERC20Metadata(cfg.quote).decimals();
        uint8 feedDecimals_ = AggregatorV3Interface(cfg.feed).decimals();
        if (baseDecimals > 18) revert UnsupportedTokenDecimals(cfg.base, baseDecimals);
        if (quoteDecimals > 18) revert UnsupportedTokenDecimals(cfg.quote, quoteDecimals);
        if (feedDecimals_ > 36) revert UnsupportedFeedDecimals(cfg.feed, feedDecimals_);
        BASE = IERC20(cfg.base);
        QUOTE = IERC20(cfg.quote);
        FEED = AggregatorV3Interface(cfg.feed);
        FACTORY = msg.sender;
        BASE_DECIMALS = baseDecimals;
        QUOTE_DECIMALS = quoteDecimals;
        FEED_DECIMALS = feedDecimals_;
        BASE_SCALE = 10 ** (18 - baseDecimals);
        QUOTE_SCALE = 10 ** (18 - quoteDecimals);

        AdminLogic.initialize(_s, cfg);
        if (cfg.keeper != address(0)) _grantRole(KEEPER_ROLE, cfg.keeper);
        if (cfg.guardian != address(0)) _grantRole(GUARDIAN_ROLE, cfg.guardian);
    }

    // ---------------------------------------------------------------- trading

    /// @inheritdoc ISkewPool
    function swap(
        Side side,
        uint256 minAmountOut,
        address recipient,
        uint256 deadline
    ) external nonReentrant whenNotPaused returns (uint256 amountOut) {
        return SwapLogic.swap(_s, _immutables(), side, minAmountOut, recipient, deadline);
    }

    /// @inheritdoc ISkewPool
    function quoteExactIn(Side side, uint256 amountIn) external view whenNotPaused returns (SwapQuote memory) {
        return SwapLogic.quote(_s, _immutables(), side, amountIn, true);
    }

    /// @inheritdoc ISkewPool
    function quoteExactOut(Side side, uint256 amountOut) external view whenNotPaused returns (SwapQuote memory) {
        return SwapLogic.quote(_s, _immutables(), side, amountOut, false);
    }

    // ---------------------------------------------------------------- liquidity

    /// @inheritdoc ISkewPool
    function deposit(
        uint256 baseMax,
        uint256 quoteMax,
        uint256 baseMin,
        uint256 quoteMin,
        uint256 minShares,
        address to,
        uint256 deadline
    ) external nonReentrant whenNotPaused returns (uint256 shares, uint256 baseIn, uint256 quoteIn) {
        return _deposit(DepositLimits(baseMax, quoteMax, baseMin, quoteMin, minShares), to, deadline);
    }

    /// @dev `deposit` past its seven arguments: few enough stack slots for the plain (non-IR) compile that
    ///      coverage and the mutation check use.
    function _deposit(
        DepositLimits memory limits,
        address to,
        uint256 deadline
    ) private returns (uint256 shares, uint256 baseIn, uint256 quoteIn) {
        bool first;
        (shares, baseIn, quoteIn, first) = LiquidityLogic.deposit(
            _s,
            _immutables(),
            totalSupply(),
            limits,
            to,
            deadline
        );
        if (first) _mint(DEAD, MIN_LIQUIDITY);
        _mint(to, shares);
    }

    /// @inheritdoc ISkewPool
    function withdraw(
        uint256 shares,
        uint256 minBase,
        uint256 minQuote,
        address to,
        uint256 deadline
    ) external nonReentrant returns (uint256 baseOut, uint256 quoteOut) {
        uint256 supply = totalSupply();
        _burn(msg.sender, shares); // reverts unless the caller holds `shares`
        return LiquidityLogic.withdraw(_s, _immutables(), supply, shares, minBase, minQuote, to, deadline);
    }

    /// @inheritdoc ISkewPool
    function sync() external nonReentrant {
        LiquidityLogic.sync(_s, _immutables());
    }

    // ---------------------------------------------------------------- keeper and admin

    /// @inheritdoc ISkewPool
    function setParams(
        uint64 k,
        uint32 baseFee,
        uint32 maxFee,
        uint64 tau,
        uint64 surgeWidth
    ) external onlyRole(KEEPER_ROLE) {
        AdminLogic.setParams(_s, PoolParams({k: k, baseFee: baseFee, maxFee: maxFee, tau: tau}), surgeWidth);
    }

    /// @inheritdoc ISkewPool
    function setFeeFloor(uint32 feeFloor) external onlyRole(DEFAULT_ADMIN_ROLE) {
        AdminLogic.setFeeFloor(_s, feeFloor);
    }

    /// @inheritdoc ISkewPool
    function setSurgeWidthLimits(SurgeWidthLimits calldata limits) external onlyRole(DEFAULT_ADMIN_ROLE) {
        AdminLogic.setSurgeWidthLimits(_s, limits);
    }

    /// @inheritdoc ISkewPool
    function setBounds(ParamBounds calldata bounds) external onlyRole(DEFAULT_ADMIN_ROLE) {
        AdminLogic.setBounds(_s, bounds);
    }

    /// @inheritdoc ISkewPool
    function setSteps(ParamSteps calldata steps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        AdminLogic.setSteps(_s, steps);
    }

    /// @inheritdoc ISkewPool
    function setMinInterval(uint32 minInterval) external onlyRole(DEFAULT_ADMIN_ROLE) {
        AdminLogic.setMinInterval(_s, minInterval);
    }

    /// @inheritdoc ISkewPool
    function setOracleMaxAge(uint32 maxAge) external onlyRole(DEFAULT_ADMIN_ROLE) {
        AdminLogic.setOracleMaxAge(_s, maxAge);
    }

    /// @inheritdoc ISkewPool
    function setProtocolShare(uint32 protocolShare) external onlyRole(DEFAULT_ADMIN_ROLE) {
        AdminLogic.setProtocolShare(_s, protocolShare);
    }

    /// @inheritdoc ISkewPool
    function collectProtocolFees(
        address to
    ) external nonReentrant onlyRole(DEFAULT_ADMIN_ROLE) returns (uint256 baseAmount, uint256 quoteAmount) {
        return AdminLogic.collectProtocolFees(_s, _immutables(), to);
    }

    /// @inheritdoc ISkewPool
    function pause() external onlyGuardianOrAdmin {
        _pause();
    }

    /// @inheritdoc ISkewPool
    function unpause() external onlyGuardianOrAdmin {
        _unpause();
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ISkewPool
    function getState() external view returns (PoolState memory) {
        return SwapLogic.getState(_s, _immutables(), totalSupply());
    }

    /// @inheritdoc ISkewPool
    function base() external view returns (address) {
        return address(BASE);
    }

    /// @inheritdoc ISkewPool
    function quote() external view returns (address) {
        return address(QUOTE);
    }

    /// @inheritdoc ISkewPool
    function feed() external view returns (address) {
        return address(FEED);
    }

    /// @inheritdoc ISkewPool
    function factory() external view returns (address) {
        return FACTORY;
    }

    /// @inheritdoc ISkewPool
    function baseScale() external view returns (uint256) {
        return BASE_SCALE;
    }

    /// @inheritdoc ISkewPool
    function quoteScale() external view returns (uint256) {
        return QUOTE_SCALE;
    }

    /// @inheritdoc ISkewPool
    function feedDecimals() external view returns (uint8) {
        return FEED_DECIMALS;
    }

    /// @notice Whether swaps and deposits are paused.
    /// @return True when paused.
    function paused() public view override returns (bool) {
        return _s.config.paused;
    }

    // ---------------------------------------------------------------- internals

    /// @dev Pauses using the flag packed in `config` (see the contract's dev note).
    function _pause() internal override whenNotPaused {
        _s.config.paused = true;
        emit Paused(msg.sender);
    }

    /// @dev Unpauses using the flag packed in `config`.
    function _unpause() internal override whenPaused {
        _s.config.paused = false;
        emit Unpaused(msg.sender);
    }

    /// @dev The immutables, for the logic libraries.
    function _immutables() private view returns (PoolImmutables memory) {
        return
            PoolImmutables({
                base: BASE,
                quote: QUOTE,
                feed: FEED,
                factory: FACTORY,
                baseScale: BASE_SCALE,
                quoteScale: QUOTE_SCALE,
                baseDecimals: BASE_DECIMALS,
                quoteDecimals: QUOTE_DECIMALS,
                feedDecimals: FEED_DECIMALS
            });
    }

    /// @dev "Skew LP <BASE>/<QUOTE>".
    function _lpName(address base_, address quote_) private view returns (string memory) {
        return string.concat("Skew LP ", IERC20Metadata(base_).symbol(), "/", IERC20Metadata(quote_).symbol());
    }

    /// @dev "SKEW-LP-<BASE>/<QUOTE>".
    function _lpSymbol(address base_, address quote_) private view returns (string memory) {
        return string.concat("SKEW-LP-", IERC20Metadata(base_).symbol(), "/", IERC20Metadata(quote_).symbol());
    }
}
