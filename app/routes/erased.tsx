import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Account erased · Jamboree" }];

/** Where a person lands once they erased their own account (signed out; nothing of theirs is shown). */
export default function Erased() {
  return (
    <div className="page--narrow" style={{ margin: "0 auto" }}>
      <section className="card auth-card stack" aria-labelledby="erased-title">
        <h1 id="erased-title">Your account is erased</h1>
        <p>
          Your name and e-mail address are gone, you are signed out everywhere, and your points, badges, follows and notifications are
          removed. What you wrote and chose to leave shows as by <strong>Former participant</strong>.
        </p>
        <p className="muted small">Thank you for taking part.</p>
        <p>
          <Link to="/login">Go to the sign-in page</Link>
        </p>
      </section>
    </div>
  );
}
