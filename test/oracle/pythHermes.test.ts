/**
 * `HermesPriceSource` through the real `@pythnetwork/hermes-client` (its HTTP client and response schema),
 * served by a local HTTP server with a canned Hermes answer: no network.
 */
import { expect } from "chai";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { HermesClient } from "@pythnetwork/hermes-client";
import { HermesPriceSource } from "../../sdk/priceSourceHermes";
import { pulledPriceOf } from "../../sdk/priceSource";

const ETH = "ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace";
const BINARY = "504e41550100000003b801000000040d00"; // the start of a real accumulator update ("PNAU")

describe("HermesPriceSource (hermes-client against a local Hermes)", function () {
  it("asks for the ids in hex with parsed prices, and returns the 0x data and the prices", async function () {
    const asked: string[] = [];
    const server = createServer((req, res) => {
      asked.push(req.url ?? "");
      const price = { price: "312345678901", conf: "123456789", expo: -8, publish_time: 1_760_000_000 };
      const body = {
        binary: { encoding: "hex", data: [BINARY] },
        parsed: [
          { id: ETH, price, ema_price: price, metadata: { slot: 1, proof_available_time: 1, prev_publish_time: 1 } },
        ],
      };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const source = new HermesPriceSource(new HermesClient(`http://127.0.0.1:${port}`));
      const update = await source.latestUpdate([`0x${ETH}`]);
      expect(asked).to.have.length(1);
      const url = new URL(asked[0], "http://x");
      expect(url.pathname).to.equal("/v2/updates/price/latest");
      expect(url.searchParams.getAll("ids[]")).to.deep.equal([`0x${ETH}`]);
      expect(url.searchParams.get("encoding")).to.equal("hex");
      expect(url.searchParams.get("parsed")).to.equal("true");
      expect(update.data).to.deep.equal([`0x${BINARY}`]);
      expect(pulledPriceOf(update, ETH)).to.deep.equal({
        priceId: `0x${ETH}`,
        price: 312345678901n,
        conf: 123456789n,
        expo: -8,
        publishTime: 1_760_000_000n,
      });
      await source.latestUpdate([`0x${"22".repeat(32)}`]).then(
        () => expect.fail("a missing id must throw"),
        (e: Error) => expect(e.message).to.match(/no price for 0x2222/),
      );
    } finally {
      server.close();
    }
  });
});
