#pragma once

#include "clioptions.h"
#include "log/jsonlwriter.h"
#include "log/textformatter.h"
#include "log/wireevent.h"

class OutputWriter;

// Prints each event to standard output in the chosen format, through the buffered writer.
class OutputSink : public WireEventSink {
public:
    OutputSink(OutputWriter &writer, CliOptions::Format format);
    void record(const WireEvent &event) override;

    // The first line of --serve, --relay and --proxy in jsonl: {"time":...,"kind":"listening","url":URL}
    // with `fields` (name, string value) after the URL, in order.
    static QByteArray jsonListeningLine(const QByteArray &url, const QList<std::pair<QByteArray, QByteArray>> &fields);

private:
    OutputWriter &m_writer;
    CliOptions::Format m_format;
    JsonlWriter m_json;
    TextFormatter m_text;
};
