export * from "./categories";
export * from "./members";
export * from "./moderation-log";
export * from "./notifications";
export * from "./outbox";
export * from "./rate-limits";
export * from "./threads";
