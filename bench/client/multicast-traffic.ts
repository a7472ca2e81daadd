/**
 * Runs inside the bench's busy namespace: every second, one small UDP datagram to the all-nodes
 * multicast address out of each end of each veth pair (ff02::1%bva<i>, ff02::1%bvb<i>), so every
 * interface both sends and receives a little, round after round. Argument: the number of pairs.
 * Runs until SIGTERM.
 */
import { createSocket } from 'node:dgram';

const pairs = Number(process.argv[2]);
if (!Number.isSafeInteger(pairs) || pairs < 1) throw new Error(`usage: multicast-traffic.ts <pairs>, got ${process.argv[2]}`);
const PORT = 9; // discard: nobody listens, the datagram only has to cross the link
const payload = Buffer.alloc(32);
const socket = createSocket('udp6');
let failed = 0;

function round(): void {
  for (let i = 0; i < pairs; i++) {
    for (const end of ['bva', 'bvb']) socket.send(payload, PORT, `ff02::1%${end}${i}`, (err) => (err ? failed++ : undefined));
  }
}

socket.bind(0, () => {
  round();
  const timer = setInterval(round, 1000);
  const stop = (): void => {
    clearInterval(timer);
    socket.close();
    if (failed > 0) process.stderr.write(`multicast-traffic: ${failed} datagrams failed\n`);
  };
  process.once('SIGTERM', stop);
});
