#include "log/decodedjson.h"

#include "log/outbuffer.h"

namespace {

using namespace Decode;

void putMember(OutBuffer &o, const char *name, QStringView text)
{
    o.str(name);
    o.putJsonString(text);
}

void putFields(OutBuffer &o, const QList<Field> &fields)
{
    o.text("[");
    for (qsizetype i = 0; i < fields.size(); ++i) {
        const Field &f = fields[i];
        putMember(o, i ? ",{\"name\":" : "{\"name\":", f.name);
        putMember(o, ",\"value\":", f.value);
        if (!f.children.isEmpty()) {
            o.text(",\"children\":");
            putFields(o, f.children);
        }
        o.text("}");
    }
    o.text("]");
}

void putUnits(OutBuffer &o, const QList<Unit> &units);

void putUnit(OutBuffer &o, const Unit &u)
{
    putMember(o, "{\"type\":", u.type);
    putMember(o, ",\"summary\":", u.summary);
    if (!u.error.isEmpty())
        putMember(o, ",\"error\":", u.error);
    if (!u.fields.isEmpty()) {
        o.text(",\"fields\":");
        putFields(o, u.fields);
    }
    if (!u.correlations.isEmpty()) {
        o.text(",\"correlations\":[");
        for (qsizetype i = 0; i < u.correlations.size(); ++i) {
            const Correlation &c = u.correlations[i];
            putMember(o, i ? ",{\"role\":" : "{\"role\":", roleName(c.role));
            // Keys are built from peer bytes: read as UTF-8, so that the line stays valid.
            putMember(o, ",\"key\":", QString::fromUtf8(c.key));
            o.text("}");
        }
        o.text("]");
    }
    if (u.innerProtocol != Protocol::None) {
        putMember(o, ",\"inner\":{\"protocol\":", protocolId(u.innerProtocol));
        o.text(",\"units\":");
        putUnits(o, u.inner);
        o.text("}");
    }
    o.text("}");
}

void putUnits(OutBuffer &o, const QList<Unit> &units)
{
    o.text("[");
    for (qsizetype i = 0; i < units.size(); ++i) {
        if (i)
            o.text(",");
        putUnit(o, units[i]);
    }
    o.text("]");
}

} // namespace

namespace DecodedJson {

void append(QByteArray &out, const Decoded &decoded)
{
    OutBuffer o(out, 512);
    putMember(o, "{\"protocol\":", protocolId(decoded.protocol));
    putMember(o, ",\"summary\":", decoded.summary(1 << 20));
    if (!decoded.error.isEmpty())
        putMember(o, ",\"error\":", decoded.error);
    o.text(",\"units\":");
    putUnits(o, decoded.units);
    o.text("}");
}

QByteArray toJson(const Decoded &decoded)
{
    QByteArray out;
    append(out, decoded);
    return out;
}

} // namespace DecodedJson
