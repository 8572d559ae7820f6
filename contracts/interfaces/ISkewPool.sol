// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Price, Region, Side, SwapQuote} from "../libraries/SkewTypes.sol";

/// @notice The four parameters the keeper tunes.
/// @param k Skew strength, WAD in [0, 1e18].
/// @param baseFee Fee charged when a swap does not push the imbalance past `tau`, pips (1e6 = 100 %).
/// @param maxFee Cap of the surge fee, pips, `baseFee <= maxFee < 1e6`.
/// @param tau Imbalance above which the surge fee starts, WAD, `< 1e18`.
struct PoolParams {
    uint64 k;
    uint32 baseFee;
    uint32 maxFee;
    uint64 tau;
}

/// @notice Inclusive ranges the admin allows the keeper's parameters in.
struct ParamBounds {
    uint64 kMin;
    uint64 kMax;
    uint64 tauMin;
    uint64 tauMax;
    uint32 baseFeeMin;
    uint32 baseFeeMax;
    uint32 maxFeeMin;
    uint32 maxFeeMax;
}

/// @notice Largest change of each parameter in one keeper update (0 freezes that parameter).
struct ParamSteps {
    uint64 k;
    uint64 tau;
    uint32 baseFee;
    uint32 maxFee;
}

/// @notice Everything a pool is created with. The pool reads its tokens' and feed's decimals itself.
/// @param base The base token (priced by the feed).
/// @param quote The quote token (the feed's unit).
/// @param feed Chainlink-style feed: whole quote tokens per whole base token, `feedDecimals` decimals.
/// @param params Initial keeper parameters (must lie inside `bounds`).
/// @param bounds Initial admin bounds.
/// @param steps Initial max step per keeper update.
/// @param minInterval Minimum seconds between keeper updates.
/// @param oracleMaxAge Largest accepted feed age, seconds (> 0).
/// @param protocolShare Part of every fee set aside for the treasury, pips of the fee.
/// @param admin The default admin (two-step transfer with `adminDelay`).
/// @param adminDelay Delay of the default admin's two-step transfer, seconds.
/// @param keeper Initial keeper, or zero for none.
/// @param guardian Initial guardian, or zero for none.
struct PoolConfig {
    address base;
    address quote;
    address feed;
    PoolParams params;
    ParamBounds bounds;
    ParamSteps steps;
    uint32 minInterval;
    uint32 oracleMaxAge;
    uint32 protocolShare;
    address admin;
    uint48 adminDelay;
    address keeper;
    address guardian;
}

/// @notice Everything an off-chain quoter, keeper or indexer needs, read in one call.
/// @dev `price`, `oracleUpdatedAt` and `oracleOk` come from the feed without reverting: when `oracleOk`
///      is false, swaps and quotes revert with the oracle's error. Targets are scaled (18-decimal) units;
///      only the long side's target is authoritative (the math re-derives the short side's). `params.k` is the
///      skew strength in force; when `kPending`, `pendingK` is queued and takes effect when a swap reaches
///      or crosses equilibrium (DESIGN.md §3).
///      Ordered for readers, not packing: it is only ever returned, never stored.
// solhint-disable-next-line gas-struct-packing
struct PoolState {
    address base;
    address quote;
    address feed;
    uint256 baseReserve;
    uint256 quoteReserve;
    uint256 baseTarget;
    uint256 quoteTarget;
    Region region;
    uint256 baseScale;
    uint256 quoteScale;
    uint8 baseDecimals;
    uint8 quoteDecimals;
    uint8 feedDecimals;
    PoolParams params;
    bool kPending;
    uint64 pendingK;
    uint32 protocolShare;
    uint256 protocolFeesBase;
    uint256 protocolFeesQuote;
    Price price;
    uint256 oracleUpdatedAt;
    bool oracleOk;
    uint32 oracleMaxAge;
    bool paused;
    uint256 totalSupply;
    ParamBounds bounds;
    ParamSteps steps;
    uint32 minInterval;
    uint48 lastParamsUpdate;
    uint256 blockTimestamp;
    uint32 feeFloor;
    uint64 surgeWidth;
    SurgeWidthLimits surgeWidthLimits;
}

/// @notice The admin's limits on the keeper's surge ramp width (DESIGN.md §2), WAD.
/// @param min Smallest width, `> 0`.
/// @param max Largest width, `min <= max <= 1e18`.
/// @param maxStep Largest change in one keeper update (0 freezes the width).
struct SurgeWidthLimits {
    uint64 min;
    uint64 max;
    uint64 maxStep;
}

/// @title ISkewPool
/// @author Skew
/// @notice An oracle-anchored, inventory-skewed AMM pool for one base/quote pair. See DESIGN.md.
/// @dev Besides the errors below, calls can revert with `ZeroAmount()` and `InsufficientLiquidity()` (from
///      SkewMath), the oracle errors of `OracleAdapter`, OpenZeppelin's `EnforcedPause()`,
///      `ReentrancyGuardReentrantCall()`, AccessControl and ERC20 errors, and `SafeCast`'s overflow error.
interface ISkewPool {
    /// @notice Which keeper parameter an error is about.
    enum Param {
        K,
        BaseFee,
        MaxFee,
        Tau,
        SurgeWidth
    }

    /// @notice The admin set the least rate away-from-target volume pays (DESIGN.md §2).
    /// @param feeFloor Pips.
    event FeeFloorUpdated(uint32 feeFloor);

    /// @notice The surge ramp's width changed (keeper update, or the admin's limits clamped it).
    /// @param surgeWidth WAD.
    event SurgeWidthUpdated(uint64 surgeWidth);

    /// @notice The admin set the limits of the keeper's surge ramp width.
    /// @param limits The new limits.
    event SurgeWidthLimitsUpdated(SurgeWidthLimits limits);

    /// @notice A trader swapped.
    /// @param sender Who called `swap`.
    /// @param recipient Who received the output.
    /// @param side SellBase (base in, quote out) or SellQuote.
    /// @param amountIn Raw input taken.
    /// @param amountOut Raw output paid.
    /// @param feePips Effective fee rate, pips (the fee over the gross output, rounded up; DESIGN.md §2).
    /// @param feeAmount Raw fee retained, in the output token (protocol part included).
    /// @param imbalanceAfter Imbalance after the swap, WAD.
    /// @param midPriceAfter Mid price after the swap, WAD (whole quote per whole base).
    event Swap(
        address indexed sender,
        address indexed recipient,
        Side side,
        uint256 amountIn,
        uint256 amountOut,
        uint256 feePips,
        uint256 feeAmount,
        uint256 imbalanceAfter,
        uint256 midPriceAfter
    );

    /// @notice The pool's curve state after a swap, deposit or withdrawal.
    /// @param baseReserve Raw base reserve.
    /// @param quoteReserve Raw quote reserve.
    /// @param baseTarget Stored scaled base target.
    /// @param quoteTarget Stored scaled quote target.
    /// @param region The pool's region.
    event Sync(uint256 baseReserve, uint256 quoteReserve, uint256 baseTarget, uint256 quoteTarget, Region region);

    /// @notice Liquidity was added.
    /// @param sender Who paid the tokens.
    /// @param to Who received the shares.
    /// @param shares Shares minted to `to`.
    /// @param baseIn Raw base that arrived.
    /// @param quoteIn Raw quote that arrived.
    event Deposit(address indexed sender, address indexed to, uint256 shares, uint256 baseIn, uint256 quoteIn);

    /// @notice Liquidity was removed.
    /// @param sender Whose shares were burnt.
    /// @param to Who received the tokens.
    /// @param shares Shares burnt.
    /// @param baseOut Raw base sent.
    /// @param quoteOut Raw quote sent.
    event Withdraw(address indexed sender, address indexed to, uint256 shares, uint256 baseOut, uint256 quoteOut);

    /// @notice The keeper parameters changed (by the keeper, at creation, or clamped by new bounds).
    /// @dev Fees and tau take effect at once; `k` only at equilibrium (see `KChangeQueued`, `KChangeApplied`).
    /// @param caller Who caused the change.
    /// @param k Requested skew strength, WAD: in force, or queued until the pool reaches equilibrium.
    /// @param baseFee New base fee, pips.
    /// @param maxFee New max fee, pips.
    /// @param tau New surge threshold, WAD.
    event ParamsUpdated(address indexed caller, uint64 k, uint32 baseFee, uint32 maxFee, uint64 tau);

    /// @notice A change of `k` was queued: the pool is away from equilibrium, so the new value takes effect when
    ///         a swap reaches or crosses it (DESIGN.md §3). A newer request replaces the queued value;
    ///         `pendingK == activeK` means the queue was cleared.
    /// @param activeK The skew strength in force, WAD.
    /// @param pendingK The queued skew strength, WAD.
    event KChangeQueued(uint64 activeK, uint64 pendingK);

    /// @notice A new `k` took effect: at once (the pool was at equilibrium) or queued, when a swap reached
    ///         equilibrium, or a deposit or withdrawal rounded the pool back to it.
    /// @param oldK The previous skew strength, WAD.
    /// @param newK The skew strength now in force, WAD.
    event KChangeApplied(uint64 oldK, uint64 newK);

    /// @notice The admin set new bounds for the keeper parameters.
    /// @param bounds The new bounds.
    event BoundsUpdated(ParamBounds bounds);

    /// @notice The admin set new max steps for keeper updates.
    /// @param steps The new steps.
    event StepsUpdated(ParamSteps steps);

    /// @notice The admin set the minimum interval between keeper updates.
    /// @param minInterval Seconds.
    event MinIntervalUpdated(uint32 minInterval);

    /// @notice The admin set the largest accepted feed age.
    /// @param maxAge Seconds.
    event OracleMaxAgeUpdated(uint32 maxAge);

    /// @notice The admin set the protocol's share of the fee.
    /// @param protocolShare Pips of the fee.
    event ProtocolShareUpdated(uint32 protocolShare);

    /// @notice The admin collected the accrued protocol fees.
    /// @param to Who received them.
    /// @param baseAmount Raw base sent.
    /// @param quoteAmount Raw quote sent.
    event ProtocolFeesCollected(address indexed to, uint256 baseAmount, uint256 quoteAmount);

    /// @notice The call's deadline has passed.
    /// @param deadline The caller's deadline.
    /// @param timestamp The block's timestamp.
    error Expired(uint256 deadline, uint256 timestamp);
    /// @notice The recipient is the zero address, the pool or one of its tokens.
    /// @param recipient The rejected recipient.
    error InvalidRecipient(address recipient);
    /// @notice An output is below the caller's minimum.
    /// @param amountOut The output the call would pay.
    /// @param minAmountOut The caller's minimum.
    error InsufficientOutput(uint256 amountOut, uint256 minAmountOut);
    /// @notice A deposit would mint fewer shares than the caller's minimum.
    /// @param shares The shares the deposit would mint.
    /// @param minShares The caller's minimum.
    error InsufficientShares(uint256 shares, uint256 minShares);
    /// @notice A deposit would mint no shares (or, the first one, no more than the locked minimum).
    error ZeroShares();
    /// @notice Only the pool's factory may make the first deposit (it fixes the pool's equilibrium; the
    ///         factory seeds a new pool in the creating transaction, checked against the oracle).
    /// @param caller Who tried.
    /// @param factory The pool's factory.
    error FirstDepositNotByFactory(address caller, address factory);
    /// @notice A keeper parameter lies outside the admin's bounds.
    /// @param param The parameter.
    /// @param value The requested value.
    /// @param min The lower bound.
    /// @param max The upper bound.
    error ParamOutOfBounds(Param param, uint256 value, uint256 min, uint256 max);
    /// @notice A keeper parameter would move by more than the admin's max step.
    /// @param param The parameter.
    /// @param current Its current value.
    /// @param requested The requested value.
    /// @param maxStep The largest allowed change.
    error ParamStepTooLarge(Param param, uint256 current, uint256 requested, uint256 maxStep);
    /// @notice The max fee would be below the base fee.
    /// @param baseFee The base fee, pips.
    /// @param maxFee The max fee, pips.
    error MaxFeeBelowBaseFee(uint256 baseFee, uint256 maxFee);
    /// @notice The keeper updated the parameters less than `minInterval` ago.
    /// @param nextUpdateAt The first timestamp at which an update is allowed.
    error ParamsUpdateTooSoon(uint256 nextUpdateAt);
    /// @notice Bounds are inconsistent (min > max) or exceed the hard limits
    ///         (k <= 1e18, fees < 1e6 pips, tau < 1e18, baseFeeMin <= maxFeeMax).
    /// @param param The parameter whose bounds are invalid.
    error InvalidBounds(Param param);
    /// @notice The oracle max age must be positive.
    /// @param maxAge The rejected max age.
    error InvalidOracleMaxAge(uint256 maxAge);
    /// @notice The protocol share exceeds `MAX_PROTOCOL_SHARE`.
    /// @param protocolShare The rejected share, pips of the fee.
    /// @param maxProtocolShare The cap.
    error ProtocolShareTooHigh(uint256 protocolShare, uint256 maxProtocolShare);

    /// @notice A fee floor at or above 100 %.
    /// @param feeFloor The requested floor, pips.
    error FeeFloorTooHigh(uint256 feeFloor);
    /// @notice A token has more than 18 decimals.
    /// @param token The token.
    /// @param decimals Its decimals.
    error UnsupportedTokenDecimals(address token, uint256 decimals);
    /// @notice The feed has more than 36 decimals.
    /// @param feed The feed.
    /// @param decimals Its decimals.
    error UnsupportedFeedDecimals(address feed, uint256 decimals);

    /// @notice Swaps the input already sent to the pool for the other token.
    /// @dev Balance-delta style: the input is `balanceOf(input) - reserve - protocol fees owed in it`,
    ///      so the caller (usually a router) transfers it first, in the same transaction.
    ///      Reverts when paused, on an unusable oracle round, when nothing arrived, when the output is
    ///      zero or below `minAmountOut`, after `deadline`, and for an invalid recipient.
    /// @param side SellBase (base in, quote out) or SellQuote (quote in, base out).
    /// @param minAmountOut Smallest acceptable output, raw.
    /// @param recipient Who receives the output.
    /// @param deadline Last timestamp at which the swap may execute.
    /// @return amountOut Raw output paid to `recipient`.
    function swap(
        Side side,
        uint256 minAmountOut,
        address recipient,
        uint256 deadline
    ) external returns (uint256 amountOut);

    /// @notice Adds liquidity in proportion to the reserves, pulling at most `baseMax` and `quoteMax`
    ///         from the caller (approve first).
    /// @dev The first deposit takes both amounts in full, sets the targets to them and mints
    ///      `sqrt(scaledBase * scaledQuote)` shares, of which `MINIMUM_LIQUIDITY` are locked forever; only the
    ///      factory may make it (`SkewFactory.createPoolAndSeed`), else `FirstDepositNotByFactory`.
    ///      Later deposits pull the amounts needed for the largest share amount both maxima allow (rounded
    ///      up) and mint shares from what actually arrived (rounded down), so fee-on-transfer tokens
    ///      cannot over-mint. Reverts while paused.
    /// @param baseMax Most base to pull, raw.
    /// @param quoteMax Most quote to pull, raw.
    /// @param minShares Fewest shares to accept.
    /// @param to Who receives the shares.
    /// @param deadline Last timestamp at which the deposit may execute.
    /// @return shares Shares minted to `to`.
    /// @return baseIn Raw base that arrived.
    /// @return quoteIn Raw quote that arrived.
    function deposit(
        uint256 baseMax,
        uint256 quoteMax,
        uint256 minShares,
        address to,
        uint256 deadline
    ) external returns (uint256 shares, uint256 baseIn, uint256 quoteIn);

    /// @notice Burns the caller's shares for the same fraction of both reserves (rounded down).
    /// @dev Works while paused and whatever the oracle's state: it never reads the feed.
    /// @param shares Shares to burn.
    /// @param minBase Smallest acceptable base output, raw.
    /// @param minQuote Smallest acceptable quote output, raw.
    /// @param to Who receives the tokens.
    /// @param deadline Last timestamp at which the withdrawal may execute.
    /// @return baseOut Raw base sent.
    /// @return quoteOut Raw quote sent.
    function withdraw(
        uint256 shares,
        uint256 minBase,
        uint256 minQuote,
        address to,
        uint256 deadline
    ) external returns (uint256 baseOut, uint256 quoteOut);

    /// @notice Quotes selling exactly `amountIn`, as `swap` would execute it in this block.
    /// @dev Reverts exactly when such a swap would (paused, oracle, zero amount, liquidity).
    /// @param side The swap's direction.
    /// @param amountIn Raw input.
    /// @return quote The quote and the pool state it leaves.
    function quoteExactIn(Side side, uint256 amountIn) external view returns (SwapQuote memory quote);

    /// @notice Quotes buying exactly `amountOut`: the input it needs and the pool state it leaves.
    /// @dev Reverts when the swap would (paused, oracle, zero amount, liquidity).
    /// @param side The swap's direction.
    /// @param amountOut Raw output wanted.
    /// @return quote The quote and the pool state it leaves.
    function quoteExactOut(Side side, uint256 amountOut) external view returns (SwapQuote memory quote);

    /// @notice The pool's whole state, its configuration and the feed's latest round, in one call.
    /// @dev Never reverts, whatever the feed does.
    /// @return state See `PoolState`.
    function getState() external view returns (PoolState memory state);

    /// @notice Keeper: retunes the pricing parameters.
    /// @dev Each value must lie inside the admin's bounds and differ from the current one (for `k`: the one in
    ///      force, not a queued one) by at most the admin's step; `maxFee >= baseFee`; at most one update per
    ///      `minInterval`. Fees and tau apply at once. A new `k` applies at once only in region ONE; otherwise
    ///      it is queued (replacing any queued value; asking for the k in force clears the queue) and takes
    ///      effect when a swap reaches or crosses equilibrium, so a change of `k` never re-prices the pool.
    /// @param k Skew strength, WAD.
    /// @param baseFee Base fee, pips.
    /// @param maxFee Max fee, pips.
    /// @param tau Surge threshold, WAD.
    /// @param surgeWidth Surge ramp width, WAD, inside the admin's `SurgeWidthLimits` and within its max step.
    function setParams(uint64 k, uint32 baseFee, uint32 maxFee, uint64 tau, uint64 surgeWidth) external;

    /// @notice Admin: sets the least rate away-from-target volume pays, the feed front-running defence
    ///         (DESIGN.md §2). Applies at once.
    /// @param feeFloor Pips, `< 1e6`.
    function setFeeFloor(uint32 feeFloor) external;

    /// @notice Admin: sets the limits of the keeper's surge ramp width; the width in force is clamped into
    ///         them.
    /// @param limits `0 < min <= max <= 1e18`, and the max step per keeper update.
    function setSurgeWidthLimits(SurgeWidthLimits calldata limits) external;

    /// @notice Admin: sets the bounds of the keeper parameters.
    /// @dev Current parameters outside the new bounds are clamped into them (emitting `ParamsUpdated`). A clamped
    ///      `k` goes through the same queue as the keeper's (the queued value, if any, is what gets clamped).
    /// @param bounds The new bounds.
    function setBounds(ParamBounds calldata bounds) external;

    /// @notice Admin: sets the largest change of each parameter per keeper update.
    /// @param steps The new steps.
    function setSteps(ParamSteps calldata steps) external;

    /// @notice Admin: sets the minimum interval between keeper updates.
    /// @param minInterval Seconds.
    function setMinInterval(uint32 minInterval) external;

    /// @notice Admin: sets the largest accepted age of the feed's latest round.
    /// @param maxAge Seconds, > 0.
    function setOracleMaxAge(uint32 maxAge) external;

    /// @notice Admin: sets the part of every fee set aside for the treasury.
    /// @param protocolShare Pips of the fee, at most `MAX_PROTOCOL_SHARE`.
    function setProtocolShare(uint32 protocolShare) external;

    /// @notice Admin: sends the accrued protocol fees to `to`.
    /// @param to The treasury.
    /// @return baseAmount Raw base sent.
    /// @return quoteAmount Raw quote sent.
    function collectProtocolFees(address to) external returns (uint256 baseAmount, uint256 quoteAmount);

    /// @notice Guardian or admin: stops swaps and deposits (withdrawals keep working).
    function pause() external;

    /// @notice Guardian or admin: resumes swaps and deposits.
    function unpause() external;

    /// @notice Role that may call `setParams` (`keccak256("KEEPER_ROLE")`).
    /// @return The role id.
    // solhint-disable-next-line func-name-mixedcase
    function KEEPER_ROLE() external view returns (bytes32);

    /// @notice Role that may pause and unpause (`keccak256("GUARDIAN_ROLE")`).
    /// @return The role id.
    // solhint-disable-next-line func-name-mixedcase
    function GUARDIAN_ROLE() external view returns (bytes32);

    /// @notice Shares the first deposit locks forever (minted to `DEAD_ADDRESS`).
    /// @return The locked share amount.
    // solhint-disable-next-line func-name-mixedcase
    function MINIMUM_LIQUIDITY() external view returns (uint256);

    /// @notice Cap of the protocol's share of the fee, pips of the fee.
    /// @return The cap.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_PROTOCOL_SHARE() external view returns (uint32);

    /// @notice The base token.
    /// @return The base token's address.
    function base() external view returns (address);

    /// @notice The quote token.
    /// @return The quote token's address.
    function quote() external view returns (address);

    /// @notice The reference price feed.
    /// @return The feed's address.
    function feed() external view returns (address);

    /// @notice The factory (or account) that deployed the pool.
    /// @return The deployer's address.
    function factory() external view returns (address);

    /// @notice The base token's scale.
    /// @return `10**(18 - baseDecimals)`.
    function baseScale() external view returns (uint256);

    /// @notice The quote token's scale.
    /// @return `10**(18 - quoteDecimals)`.
    function quoteScale() external view returns (uint256);

    /// @notice The feed's decimals, read at creation.
    /// @return The feed's decimals.
    function feedDecimals() external view returns (uint8);
}
