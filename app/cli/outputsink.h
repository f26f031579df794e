#pragma once

#include "clioptions.h"
#include "log/jsonlwriter.h"
#include "log/livedecoding.h"
#include "log/textformatter.h"
#include "log/wireevent.h"

class OutputWriter;

#include <memory>
#include <unordered_map>

// Prints each event to standard output in the chosen format, through the buffered writer, and what
// a data message means in the protocol on top (--decode), per connection.
class OutputSink : public WireEventSink {
public:
    OutputSink(OutputWriter &writer, CliOptions::Format format, Decode::Choice decode = Decode::Choice::autoDetect());
    void record(const WireEvent &event) override;
    // --serve: this tool is the server of every connection, so what comes in is a client's (the
    // events name no leg, as a client's own connection's do).
    void setServing(bool serving) { m_serving = serving; }

    // The first line of --serve, --relay and --proxy in jsonl: {"time":...,"kind":"listening","url":URL}
    // with `fields` (name, string value) after the URL, in order.
    static QByteArray jsonListeningLine(const QByteArray &url, const QList<std::pair<QByteArray, QByteArray>> &fields);

private:
    OutputWriter &m_writer;
    CliOptions::Format m_format;
    void appendDecoded(const Decode::Decoded &decoded);

    JsonlWriter m_json;
    TextFormatter m_text;
    Decode::Choice m_decode;
    bool m_serving = false;
    std::unordered_map<quint32, std::unique_ptr<LiveDecoding>> m_decoders; // by connection
};
