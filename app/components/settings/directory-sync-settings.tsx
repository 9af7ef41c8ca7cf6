import type { companySettingsPage } from "~/services/pages/company-settings.server";
import { Env, Facts, SettingHead, SetUpBadge } from "./setting-facts";

type DirectorySync = Awaited<ReturnType<typeof companySettingsPage>>["directorySync"];

/** Directory sync (SCIM): whether its token is set (never the token) and the endpoint to give the directory. */
export function DirectorySyncSettings({ directorySync }: { directorySync: DirectorySync }) {
  return (
    <section className="card stack section" aria-labelledby="directory-sync-heading">
      <SettingHead id="directory-sync-heading" title="Directory sync (SCIM)">
        <SetUpBadge on={directorySync.tokenSet} />
      </SettingHead>
      <Facts
        rows={[
          ["Token", directorySync.tokenSet ? "Set (never shown)" : <span>Not set: set <Env name="SCIM_TOKEN" /> on the server</span>],
          ["Endpoint", <code className="break-anywhere">{directorySync.endpoint}</code>],
        ]}
      />
    </section>
  );
}
