// The baseline: a bare node:http server answering with the same JSON body the
// settings GET sends (passed in BENCH_BODY), on BENCH_PORT.
const http = require('node:http');

const body = Buffer.from(process.env.BENCH_BODY ?? '{}');
http
  .createServer((_request, response) => {
    response.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': body.length,
    });
    response.end(body);
  })
  .listen(Number(process.env.BENCH_PORT), '127.0.0.1', () => process.send?.('ready'));
