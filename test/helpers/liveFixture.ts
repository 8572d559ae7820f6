/**
 * Fixtures restored as a live chain looks. `loadFixture` restores a snapshot with its old latest block, while
 * the chain's clock (wall time plus the snapshot's offset) moves on; a deadline taken from the latest block
 * (`deadlineFromNow`, the SDK client's default) could then fall behind the next block's timestamp once the
 * snapshot is older than the deadline's window, as in a slow coverage run (859 s behind, 9 tests failing
 * with `Expired`). Mining one block after the restore puts the latest block at the chain's current time.
 */
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";

/** `loadFixture(fixture)`, then one block mined so that the latest block is at the chain's current time. */
export async function loadLive<T>(fixture: () => Promise<T>): Promise<T> {
  const value = await loadFixture(fixture);
  await mine();
  return value;
}
