import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "About · HostHelp" }];

export default function About() {
  return (
    <section className="prose">
      <h1>About HostHelp</h1>
      <p>
        HostHelp is where the host's customers help each other. Ask about domains, email, your control panel, WordPress, certificates or billing; answer what you know. When an answer solves a
        question, the asker accepts it, and it becomes a page the next customer finds in search.
      </p>
      <p>
        Moderators are members who answer well and keep things tidy. The host thanks its most helpful moderators with free hosting credit.
      </p>
      <p>
        <Link to="/unanswered">Questions waiting for an answer</Link> · <Link to="/leaderboard">Who helps most</Link>
      </p>
    </section>
  );
}
