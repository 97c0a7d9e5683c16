// Moved to journeys/pcap.ts (the offline plan replays journeys through Suricata too); re-exported for the tests.
export * from "../journeys/pcap";
