import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { SynthesisReportView } from "~/components/synthesis-report";
import { orRespond } from "~/http/respond.server";
import { synthesisReport, versionParam } from "~/services/pages/exports.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Synthesis report · ${data?.report.jam.title ?? "Jam"} · Jamboree` }];

/** GET /jams/:slug/synthesis/print: the synthesis report laid out for paper (and "Save as PDF"). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const versionId = versionParam(new URL(request.url).searchParams.get("version"));
  const report = await orRespond(async () => await synthesisReport(user, params.slug ?? "", { versionId }), { request, user, ip: context.ip });
  return { report };
}

export default function SynthesisPrintPage() {
  const { report } = useLoaderData<typeof loader>();
  const query = report.isStaff ? `?version=${report.version.id}` : "";
  return (
    <>
      <div className="no-print row print-toolbar">
        <Link to={`/jams/${report.jam.slug}/synthesis${query}`}>Back to the synthesis</Link>
        <button type="button" className="btn btn--small" onClick={() => window.print()}>
          Print
        </button>
        <a className="btn btn--secondary btn--small" href={`/jams/${report.jam.slug}/synthesis.md${query}`}>
          Download Markdown
        </a>
        <a className="btn btn--secondary btn--small" href={`/jams/${report.jam.slug}/ideas.csv${query}`}>
          Download ideas (CSV)
        </a>
      </div>
      <SynthesisReportView report={report} />
    </>
  );
}
