#pragma once

#include "clioptions.h"
#include "log/eventformatter.h"
#include "log/wireevent.h"

class OutputWriter;

// Prints each event to standard output in the chosen format, through the buffered writer.
class OutputSink : public WireEventSink {
public:
    OutputSink(OutputWriter &writer, CliOptions::Format format);
    void record(const WireEvent &event) override;
    EventFormatter &formatter() { return m_formatter; }

private:
    OutputWriter &m_writer;
    CliOptions::Format m_format;
    EventFormatter m_formatter;
};
