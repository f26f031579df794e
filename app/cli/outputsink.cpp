#include "outputsink.h"

#include "outputwriter.h"

OutputSink::OutputSink(OutputWriter &writer, CliOptions::Format format)
    : m_writer(writer)
    , m_format(format)
{
}

void OutputSink::record(const WireEvent &event)
{
    if (m_format == CliOptions::Format::Jsonl)
        m_formatter.appendJson(m_writer.buffer(), event);
    else
        m_formatter.appendText(m_writer.buffer(), event);
    m_writer.commit();
}
