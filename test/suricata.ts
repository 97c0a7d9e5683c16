// Moved to journeys/suricata.ts (the offline plan replays journeys through Suricata too); re-exported for the tests.
export * from "../journeys/suricata";
