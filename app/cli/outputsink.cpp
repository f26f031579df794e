#include "outputsink.h"

#include "log/eventtime.h"

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


QByteArray OutputSink::jsonListeningLine(const QByteArray &url, const QList<std::pair<QByteArray, QByteArray>> &fields)
{
    const qint64 now = EventTime::nowUs();
    QByteArray line = "{\"time\":\"" + EventTime::iso(now) + "\",\"us\":" + QByteArray::number(now)
        + ",\"conn\":0,\"dir\":\"local\",\"kind\":\"listening\",\"url\":";
    JsonlWriter::appendJsonString(line, url);
    for (const auto &[name, value] : fields) {
        line += ",\"" + name + "\":";
        JsonlWriter::appendJsonString(line, value);
    }
    return line + "}\n";
}
