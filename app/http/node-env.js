// Imported first by server.js: a server started without NODE_ENV (`npm start`, `npm run serve`,
// `node server.js`) runs React's and Remix's production builds. Only NODE_ENV=development (and
// `npm run dev`) gives the development ones. React reads NODE_ENV once, when it is first imported,
// so this must run before anything that imports it.
if (!process.env.NODE_ENV) process.env.NODE_ENV = "production";
