import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requireAdmin } from "~/lib/http.server";

export const meta: MetaFunction = () => [{ title: "Admin · HostHelp" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  return null;
}

export default function AdminLayout() {
  return (
    <div className="admin">
      <nav aria-label="Admin" className="subnav">
        <NavLink to="/admin" end>
          Overview
        </NavLink>
        <NavLink to="/admin/members">Members and roles</NavLink>
        <NavLink to="/admin/rewards">Rewards</NavLink>
        <NavLink to="/admin/deliveries">Deliveries</NavLink>
        <NavLink to="/admin/settings">Settings</NavLink>
        <NavLink to="/mod/log">Moderation log</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
