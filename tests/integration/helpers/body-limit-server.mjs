// A server of its own for app/http/body-limit.test.ts: Express with readBody(), in a separate
// process (as the real server is to its clients), answering "got N" with the body's size. Prints
// its port once listening.
import express from "express";
import { readBody } from "../../../app/http/body-limit.js";

const app = express();
app.use(readBody());
app.all("*", (req, res) => res.type("text/plain").send(`got ${req.body?.length ?? 0}`));
const server = app.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
