import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(async () => {
  await app?.stop();
});

test('boots and serves settings', async () => {
  const res = await app.request.get('/api/platform-settings');
  console.log(res.status, res.headers, res.body);
  const put = await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'Hello' } });
  console.log(put.status, put.body);
  const hist = await app.request.get('/api/platform-settings/history/versions').set(founderHeaders);
  console.log(hist.status, JSON.stringify(hist.body, null, 1).slice(0, 1500));
});
