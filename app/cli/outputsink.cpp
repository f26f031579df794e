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
        m_json.append(m_writer.buffer(), event);
    else
        m_text.append(m_writer.buffer(), event);
    m_writer.commit();
}

void OutputSink::recordMessage(qint64 timeUs, quint32 connectionId, Direction direction, bool isText,
                               QByteArrayView payload)
{
    if (m_format == CliOptions::Format::Jsonl)
        m_json.appendMessage(m_writer.buffer(), timeUs, connectionId, direction, isText, payload);
    else
        m_text.appendMessage(m_writer.buffer(), timeUs, connectionId, direction, isText, payload);
    m_writer.commit();
}
