import express from 'express';
import type { AddressInfo } from 'node:net';

// The bare Express 5 app every scenario is compared with: no middleware beyond the JSON body parser.
// Its GET answers a JSON object of an order's size; its POST echoes a small JSON body.
const ORDER_LIKE = {
  id: '01a1fd62-42b7-7f9e-995b-362efb061d92',
  user_id: '6f1c2b7e-8f57-4a53-9d55-2f7e8d1c9a10',
  product_name: 'Book',
  quantity: 2,
  unit_amount: 1999,
  amount: 3998,
  currency: 'USD',
  status: 'Pending',
  created_at: '2026-11-21T09:13:57.687Z',
  updated_at: '2026-11-21T09:13:57.687Z',
};

const app = express();
app.get('/json', (_req, res) => {
  res.json(ORDER_LIKE);
});
app.post('/echo', express.json(), (req, res) => {
  res.status(201).json(req.body);
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  // The parent reads the port from this first line.
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
