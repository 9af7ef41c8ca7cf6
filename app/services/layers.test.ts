/**
 * Decision 021: app/services shows its layers. Every module sits in one folder by what it is:
 * - commands/ — use cases that change something (check permission, one transaction, publish after commit);
 * - pages/    — what a route's loader reads (one page service per route, its permission decisions);
 * - lookups/  — reads and guards that commands and pages share (`findVisible*`, `requireCapability`);
 * - effects/  — what a command's transaction also writes (audit, points and badges, notices, rate limits);
 * - jobs/     — background work the job runner and the background round run.
 * Reads never reach up into what uses them: a lookup or an effect imports no command, page or job,
 * and a page imports no command. Types may be shared in any direction (they leave no code behind).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SERVICES = import.meta.dirname;
const ROOT = join(SERVICES, "..", "..");
const LAYERS = ["commands", "pages", "lookups", "effects", "jobs"] as const;
type Layer = (typeof LAYERS)[number];
const MAY_NOT_IMPORT: Record<Layer, Layer[]> = {
  commands: [],
  jobs: [],
  pages: ["commands"],
  lookups: ["commands", "pages", "jobs"],
  effects: ["commands", "pages", "jobs"],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const modules = filesUnder(SERVICES).filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".test.ts"));

/** The names a module declares as types (interface or type alias), which an import may share freely. */
function typeNames(file: string): Set<string> {
  const text = readFileSync(file, "utf8");
  return new Set([...text.matchAll(/^export (?:interface|type) ([A-Za-z0-9_]+)/gm)].map((m) => m[1]!));
}

/** Each value (not type) imported from another services module: [layer imported from, name, module]. */
function valueImports(file: string): { layer: string; name: string; from: string }[] {
  const text = readFileSync(file, "utf8");
  const found: { layer: string; name: string; from: string }[] = [];
  for (const m of text.matchAll(/^import (type )?\{([^}]*)\} from "~\/services\/([a-z-]+)\/([a-z-]+(?:\.server)?)";/gm)) {
    if (m[1]) continue;
    const [layer, moduleName] = [m[3]!, m[4]!];
    const target = join(SERVICES, layer, `${moduleName}.ts`);
    const types = typeNames(target);
    for (const raw of m[2]!.split(",").map((s) => s.trim()).filter(Boolean)) {
      if (raw.startsWith("type ")) continue;
      const name = raw.split(" as ")[0]!.trim();
      if (!types.has(name)) found.push({ layer, name, from: `${layer}/${moduleName}` });
    }
  }
  return found;
}

describe("app/services layers", () => {
  it("puts every module in commands/, pages/, lookups/, effects/ or jobs/ (errors.ts is shared by all)", () => {
    const astray = modules.map((f) => relative(SERVICES, f)).filter((f) => f !== "errors.ts" && !LAYERS.some((l) => f.startsWith(`${l}/`)));
    expect(astray).toEqual([]);
  });

  it("never lets a read reach up into what uses it", () => {
    const wrong: string[] = [];
    for (const file of modules) {
      const layer = relative(SERVICES, file).split("/")[0] as Layer;
      if (!LAYERS.includes(layer)) continue;
      for (const imp of valueImports(file)) {
        if ((MAY_NOT_IMPORT[layer] as string[]).includes(imp.layer)) wrong.push(`${relative(ROOT, file)} imports ${imp.name} from ${imp.from}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
