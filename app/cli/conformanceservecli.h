#pragma once

// `wsinspector-cli --serve [PORT] --conformance`: tests clients (conformanceservecli.cpp).
// main() hands over as soon as it sees --conformance.
bool isConformanceServeCommand(int argc, char *argv[]);
// Runs it until interrupted; returns the process exit code (2 usage error, 130 interrupted).
int runConformanceServeCli(int argc, char *argv[]);
