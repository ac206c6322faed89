import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requireStaff } from "~/lib/http.server";
import { can } from "~/models/permissions";
import { useCurrentMember } from "~/root";

export const meta: MetaFunction = () => [{ title: "Moderation · HostHelp" }, { name: "robots", content: "noindex" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireStaff(context, request);
  return null;
}

export default function ModerationLayout() {
  const member = useCurrentMember();
  return (
    <div className="moderation">
      <nav aria-label="Moderation" className="subnav">
        <NavLink to="/mod" end>
          Moderator home
        </NavLink>
        <NavLink to="/mod/flags">Review queue</NavLink>
        <NavLink to="/unanswered">Unanswered</NavLink>
        <NavLink to="/account/rewards">Your rewards</NavLink>
        {can(member, "modlog:view") ? <NavLink to="/mod/log">Moderation log</NavLink> : null}
      </nav>
      <Outlet />
    </div>
  );
}
