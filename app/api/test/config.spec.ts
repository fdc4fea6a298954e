import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../src/config";
import { databaseSettings } from "../src/db";

const URL_ = "postgresql://app:secret@db.example:25060/app";

describe("api: configuration", () => {
  describe("loadConfig", () => {
    it("applies the defaults", () => {
      assert.deepEqual(loadConfig({ DATABASE_URL: URL_ }), {
        port: 8080,
        databaseUrl: URL_,
        databaseCaFile: undefined,
        readyTimeoutMs: 1000,
        shutdownDelayMs: 0,
        shutdownTimeoutMs: 10_000,
        logLevel: "info",
      });
    });

    it("reads every variable", () => {
      const config = loadConfig({
        DATABASE_URL: URL_,
        PORT: "9090",
        DATABASE_CA_FILE: "/etc/db/ca.crt",
        READY_TIMEOUT_MS: "250",
        SHUTDOWN_DELAY_MS: "5000",
        SHUTDOWN_TIMEOUT_MS: "20000",
        LOG_LEVEL: "debug",
      });
      assert.deepEqual(config, {
        port: 9090,
        databaseUrl: URL_,
        databaseCaFile: "/etc/db/ca.crt",
        readyTimeoutMs: 250,
        shutdownDelayMs: 5000,
        shutdownTimeoutMs: 20_000,
        logLevel: "debug",
      });
    });

    const invalid: [Record<string, string>, string][] = [
      [{}, "DATABASE_URL must be set to a postgres:// or postgresql:// URL"],
      [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL must be set to a postgres:// or postgresql:// URL"],
      [{ DATABASE_URL: URL_, PORT: "http" }, 'PORT must be an integer from 0 to 65535, got "http"'],
      [{ DATABASE_URL: URL_, PORT: "70000" }, 'PORT must be an integer from 0 to 65535, got "70000"'],
      [
        { DATABASE_URL: URL_, READY_TIMEOUT_MS: "0" },
        'READY_TIMEOUT_MS must be an integer from 1 to 60000, got "0"',
      ],
      [{ DATABASE_URL: URL_, LOG_LEVEL: "loud" }, 'LOG_LEVEL must be debug, info, warn or error, got "loud"'],
    ];
    for (const [env, message] of invalid) {
      it(`rejects ${JSON.stringify(env)}`, () => {
        assert.throws(
          () => loadConfig(env),
          (err: unknown) => err instanceof ConfigError && err.message === message,
        );
      });
    }
  });

  describe("databaseSettings (TLS from sslmode and DATABASE_CA_FILE)", () => {
    const readCa = (path: string) => `CA from ${path}`;

    it("uses no TLS without sslmode or CA", () => {
      const settings = databaseSettings(URL_);
      assert.equal(settings.tls, "off");
      assert.equal(settings.pool.ssl, false);
      assert.equal(settings.pool.connectionString, URL_);
    });

    it("encrypts without verifying for sslmode=require alone, as libpq does", () => {
      const settings = databaseSettings(`${URL_}?sslmode=require`);
      assert.equal(settings.tls, "encrypt-only");
      assert.deepEqual(settings.pool.ssl, { rejectUnauthorized: false });
      assert.equal(settings.pool.connectionString, URL_, "TLS parameters are taken out of the URL");
    });

    it("verifies the chain against DATABASE_CA_FILE for sslmode=require (DigitalOcean managed PostgreSQL)", () => {
      const settings = databaseSettings(`${URL_}?sslmode=require`, "/etc/db/ca.crt", readCa);
      assert.equal(settings.tls, "verify-ca");
      const ssl = settings.pool.ssl as {
        ca: string;
        rejectUnauthorized: boolean;
        checkServerIdentity: unknown;
      };
      assert.equal(ssl.ca, "CA from /etc/db/ca.crt");
      assert.equal(ssl.rejectUnauthorized, true);
      assert.equal(typeof ssl.checkServerIdentity, "function");
    });

    it("verifies chain and host name with a CA file and no sslmode", () => {
      const settings = databaseSettings(URL_, "/ca.pem", readCa);
      assert.equal(settings.tls, "verify-full");
      assert.deepEqual(settings.pool.ssl, { ca: "CA from /ca.pem", rejectUnauthorized: true });
    });

    it("verifies against the system CAs for sslmode=verify-full without a CA file", () => {
      const settings = databaseSettings(`${URL_}?sslmode=verify-full&application_name=x`);
      assert.equal(settings.tls, "verify-full");
      assert.deepEqual(settings.pool.ssl, { rejectUnauthorized: true });
      assert.equal(settings.pool.connectionString, `${URL_}?application_name=x`);
    });

    it("refuses a CA file with sslmode=disable, and sslmodes it does not implement", () => {
      assert.throws(
        () => databaseSettings(`${URL_}?sslmode=disable`, "/ca.pem", readCa),
        /^ConfigError: DATABASE_CA_FILE is set but DATABASE_URL has sslmode=disable$/,
      );
      assert.throws(
        () => databaseSettings(`${URL_}?sslmode=prefer`),
        /^ConfigError: DATABASE_URL has sslmode=prefer; use disable, require, verify-ca or verify-full$/,
      );
    });
  });
});
