#include "outputsink.h"

#include "log/decodedjson.h"
#include "log/eventtime.h"

#include "outputwriter.h"


OutputSink::OutputSink(OutputWriter &writer, CliOptions::Format format, Decode::Choice decode)
    : m_writer(writer)
    , m_format(format)
    , m_decode(decode)
{
}

void OutputSink::record(const WireEvent &event)
{
    if (m_format == CliOptions::Format::Jsonl)
        m_json.append(m_writer.buffer(), event);
    else
        m_text.append(m_writer.buffer(), event);
    const bool decoding = m_decode.automatic || m_decode.protocol != Decode::Protocol::None;
    if (decoding && event.direction != Direction::Local) {
        auto &decoder = m_decoders[event.connectionId];
        if (!decoder)
            decoder = std::make_unique<LiveDecoding>(m_decode);
        Decode::Decoded decoded;
        if (m_serving && event.leg == Leg::None) {
            // Read as a relay's application leg, where the inspector is the server too.
            WireEvent asServer = event;
            asServer.leg = Leg::App;
            decoded = decoder->take(asServer);
        } else {
            decoded = decoder->take(event);
        }
        if (!decoded.isNull())
            appendDecoded(decoded);
    }
    if (event.kind == EventKind::StateChange && event.state == ReadyState::Closed)
        m_decoders.erase(event.connectionId); // --serve: a server sees many connections come and go
    m_writer.commit();
}

void OutputSink::appendDecoded(const Decode::Decoded &decoded)
{
    QByteArray &out = m_writer.buffer();
    if (m_format == CliOptions::Format::Jsonl) {
        // The event's own line gets the object before its closing brace.
        if (out.endsWith("}\n")) {
            out.chop(2);
            out += ",\"decoded\":";
            DecodedJson::append(out, decoded);
            out += "}\n";
        }
        return;
    }
    // The summary holds peer text in display form already.
    out += "    = ";
    out += decoded.summary(1 << 10).toUtf8();
    out += '\n';
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
