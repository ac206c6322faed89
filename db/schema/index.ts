export * from "./members";
export * from "./moderation-log";
export * from "./outbox";
export * from "./rate-limits";
