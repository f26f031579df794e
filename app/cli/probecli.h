#pragma once

#include "probe/probereportmodel.h"
#include "probe/proberunner.h"

#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>

// `wsinspector-cli --probe URL ...`: the "probe the server" run, headless. Kept apart from the
// client/serve command line: main() hands over as soon as it sees --probe.
struct ProbeCliOptions {
    enum class Format { Text, Jsonl, Markdown };
    // quick: the classic probes (ProbePresets); full: the conformance catalogue (ConformanceCatalogue).
    enum class Suite { Quick, Full };

    bool help = false;
    bool list = false; // print the presets and exit
    QUrl url;
    ProbeOptions probe;
    QStringList only; // preset ids, in the order given; empty: every preset
    Format format = Format::Text;
    QString reportPath;
    ProbeReportModel::Format reportFormat = ProbeReportModel::Format::Markdown;
    Suite suite = Suite::Quick;
    QStringList cases; // --cases patterns ("6.4.*"); they choose the full suite
    int jobs = 4; // full suite: cases at once
    bool withPerformance = false; // full suite: section 9 too

    // `arguments` without the program name (--probe among them). On error returns nullopt and sets
    // `error` to a specific message.
    static std::optional<ProbeCliOptions> parse(const QStringList &arguments, QString &error);
    static QString usage();
    // The presets selected by `only` (all when empty), in run order.
    QList<ProbePresets::Preset> presets() const;
};

// The full suite's run (conformancecli.cpp), once the options are parsed.
int runConformanceCli(const ProbeCliOptions &options);

// True when the command line asks for the probe run (--probe or --probe=URL anywhere).
bool isProbeCommand(int argc, char *argv[]);
// Runs it, creating the application object; returns the process exit code:
// 0 every probe passed, 3 the server misbehaved on at least one, 1 the server could not be reached,
// 2 usage error (or an unwritable --report file), 130 interrupted.
int runProbeCli(int argc, char *argv[]);
