import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useCurrentMember } from "~/root";

export const meta: MetaFunction = () => [
  { title: "HostHelp: hosting questions answered by the community" },
  { name: "description", content: "Ask questions about domains, DNS, email, cPanel, WordPress, SSL and billing, and get answers from other customers and the host's moderators." },
];

export default function Home() {
  const member = useCurrentMember();
  return (
    <section>
      <h1>Latest questions</h1>
      <p>No questions have been asked yet.</p>
      {member ? null : (
        <p>
          <Link to="/signup">Create an account</Link> to ask and answer questions about your hosting.
        </p>
      )}
    </section>
  );
}
