import authFailure from './auth-failure';
import chainHead from './chain-head';
import checkpoint from './checkpoint';
import history from './history';
import idempotencyKey from './idempotency-key';
import schedule from './schedule';
import setting from './setting';

export default {
  setting,
  history,
  'chain-head': chainHead,
  checkpoint,
  'idempotency-key': idempotencyKey,
  'auth-failure': authFailure,
  schedule,
};
