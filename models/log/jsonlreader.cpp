#include "log/jsonlreader.h"

#include "log/apicall.h"
#include "log/interceptnote.h"

#include "text/displaytext.h"
#include "text/hexdigits.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <limits>

namespace {

// Translation context for the reader's errors (JsonlReader is a namespace). Field names, kinds,
// directions, rule ids and states are the format's own words and stay as they are.
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(JsonlReader)
};

ViolationRule ruleFromId(const QString &id, bool &ok)
{
    static const QHash<QString, ViolationRule> rules = [] {
        QHash<QString, ViolationRule> map;
        for (int r = int(ViolationRule::None); r <= int(ViolationRule::Last); ++r)
            map.insert(Violation::ruleId(ViolationRule(r)), ViolationRule(r));
        return map;
    }();
    const auto it = rules.constFind(id);
    ok = it != rules.constEnd();
    return ok ? *it : ViolationRule::None;
}


// Strict hex: an even number of ASCII hex digits and nothing else (QByteArray::fromHex skips junk).
bool fromHex(const QString &hex, QByteArray &out)
{
    if (hex.size() % 2)
        return false;
    for (const QChar c : hex) {
        if (hexDigitValue(c.unicode()) < 0)
            return false;
    }
    out = QByteArray::fromHex(hex.toLatin1());
    return true;
}

// Names and values from the file in an error message: they come from outside, so the display rule.
QString quoted(const QString &text)
{
    return DisplayText::quoted(text.toUtf8(), 60);
}

class FieldReader {
public:
    explicit FieldReader(const QJsonObject &object)
        : m_object(object)
    {
    }
    QString error;

    bool has(const QString &name) const { return m_object.contains(name); }

    bool integer(const QString &name, qint64 min, qint64 max, qint64 &out, bool required = true)
    {
        const QJsonValue v = m_object.value(name);
        if (v.isUndefined()) {
            if (required)
                error = Tr::tr("missing field \"%1\"").arg(name);
            return !required;
        }
        constexpr qint64 NotInteger = std::numeric_limits<qint64>::min();
        const qint64 i = v.toInteger(NotInteger);
        if (!v.isDouble() || i == NotInteger || i < min || i > max) {
            error = Tr::tr("field \"%1\" is not an integer in %2..%3").arg(name).arg(min).arg(max);
            return false;
        }
        out = i;
        return true;
    }

    bool string(const QString &name, QString &out, bool required = true)
    {
        const QJsonValue v = m_object.value(name);
        if (v.isUndefined()) {
            if (required)
                error = Tr::tr("missing field \"%1\"").arg(name);
            return !required;
        }
        if (!v.isString()) {
            error = Tr::tr("field \"%1\" is not a string").arg(name);
            return false;
        }
        out = v.toString();
        return true;
    }

    // A JSON array, kept as it is (an API call's arguments).
    bool array(const QString &name, QJsonArray &out)
    {
        const QJsonValue v = m_object.value(name);
        if (v.isUndefined()) {
            error = Tr::tr("missing field \"%1\"").arg(name);
            return false;
        }
        if (!v.isArray()) {
            error = Tr::tr("field \"%1\" is not an array").arg(name);
            return false;
        }
        out = v.toArray();
        return true;
    }

    bool boolean(const QString &name, bool &out)
    {
        const QJsonValue v = m_object.value(name);
        if (v.isUndefined())
            return true;
        if (!v.isBool()) {
            error = Tr::tr("field \"%1\" is not true or false").arg(name);
            return false;
        }
        out = v.toBool();
        return true;
    }

    bool hex(const QString &name, QByteArray &out, bool required)
    {
        QString text;
        if (!string(name, text, required))
            return false;
        if (!has(name))
            return true;
        if (!fromHex(text, out)) {
            error = Tr::tr("field \"%1\" is not hex: %2").arg(name, quoted(text));
            return false;
        }
        return true;
    }

    bool base64(const QString &name, QByteArray &out)
    {
        QString text;
        if (!string(name, text))
            return false;
        auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            error = Tr::tr("field \"%1\" is not base64").arg(name);
            return false;
        }
        out = std::move(*decoded);
        return true;
    }

    // `name` as UTF-8 text, or `name`_b64 as base64.
    bool bytes(const QString &name, QByteArray &out, bool required)
    {
        const QString b64Name = name + QStringLiteral("_b64");
        if (m_object.contains(name)) {
            QString text;
            if (!string(name, text))
                return false;
            out = text.toUtf8();
            return true;
        }
        if (m_object.contains(b64Name))
            return base64(b64Name, out);
        if (required) {
            error = Tr::tr("missing field \"%1\" (or \"%2\")").arg(name, b64Name);
            return false;
        }
        return true;
    }

private:
    const QJsonObject &m_object;
};

} // namespace

bool JsonlReader::parseLine(QByteArrayView line, StoredEvent &out, QString &error)
{
    while (!line.isEmpty() && (line.back() == '\n' || line.back() == '\r'))
        line.chop(1);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        error = Tr::tr("not valid JSON: %1 at column %2").arg(parseError.errorString()).arg(parseError.offset + 1);
        return false;
    }
    if (!doc.isObject()) {
        error = Tr::tr("not a JSON object");
        return false;
    }
    return parseObject(doc.object(), out, error);
}

bool JsonlReader::parseObject(const QJsonObject &object, StoredEvent &out, QString &error)
{
    FieldReader r(object);
    out = StoredEvent();
    WireEvent &e = out.fields;
    auto fail = [&error, &r] {
        error = r.error;
        return false;
    };

    QString kind;
    if (!r.string(QStringLiteral("kind"), kind))
        return fail();
    const std::optional<EventKind> knownKind = eventKindFromKey(kind);
    if (!knownKind) {
        error = Tr::tr("unknown kind %1").arg(quoted(kind));
        return false;
    }
    e.kind = *knownKind;

    qint64 value = 0;
    if (!r.integer(
            QStringLiteral("us"), std::numeric_limits<qint64>::min() + 1, std::numeric_limits<qint64>::max(), value))
        return fail();
    e.timeUs = value;
    if (!r.integer(QStringLiteral("conn"), 0, std::numeric_limits<quint32>::max(), value))
        return fail();
    e.connectionId = quint32(value);
    QString dir;
    if (!r.string(QStringLiteral("dir"), dir))
        return fail();
    const std::optional<Direction> direction = directionFromKey(dir);
    if (!direction) {
        //: in, out and local are the values of the field "dir"
        error = Tr::tr("unknown dir %1 (expected in, out or local)").arg(quoted(dir));
        return false;
    }
    e.direction = *direction;
    if (r.has(QStringLiteral("leg"))) {
        QString legName;
        if (!r.string(QStringLiteral("leg"), legName))
            return fail();
        const std::optional<Leg> leg = legFromKey(legName);
        if (!leg || *leg == Leg::None) {
            //: app and server are the values of the field "leg"
            error = Tr::tr("unknown leg %1 (expected app or server)").arg(quoted(legName));
            return false;
        }
        e.leg = *leg;
    }
    if (r.has(QStringLiteral("payload_dropped")) && !r.boolean(QStringLiteral("payload_dropped"), e.payloadDropped))
        return fail();

    switch (e.kind) {
    case EventKind::Frame: {
        if (!r.hex(QStringLiteral("header"), out.header, true))
            return fail();
        if (!FrameHeader::decode(out.header, e.frame) || e.frame.headerSize != out.header.size()) {
            error = Tr::tr("field \"header\": %1 bytes are not one complete frame header").arg(out.header.size());
            return false;
        }
        if (r.has(QStringLiteral("text"))) {
            QString text;
            if (!r.string(QStringLiteral("text"), text))
                return fail();
            out.payload = text.toUtf8();
        } else if (r.has(QStringLiteral("b64"))) {
            if (!r.base64(QStringLiteral("b64"), out.payload))
                return fail();
        } else {
            error = Tr::tr("frame has neither \"text\" nor \"b64\"");
            return false;
        }
        if (r.has(QStringLiteral("compressed")) && !r.boolean(QStringLiteral("compressed"), e.compressed))
            return fail();
        // A relay's hand-over time: "relay_us", or "relay_held" when the frame waited for the peer.
        qint64 relayUs = WireEvent::NotRelayed;
        if (!r.integer(QStringLiteral("relay_us"), 0, std::numeric_limits<qint32>::max(), relayUs, false))
            return fail();
        e.relayDelayUs = qint32(relayUs);
        bool held = false;
        if (r.has(QStringLiteral("relay_held")) && !r.boolean(QStringLiteral("relay_held"), held))
            return fail();
        if (held)
            e.relayDelayUs = WireEvent::RelayHeld;
        if (r.has(QStringLiteral("inflated")) || r.has(QStringLiteral("inflated_b64"))) {
            if (!r.bytes(QStringLiteral("inflated"), out.inflated, true))
                return fail();
            qint64 length = out.inflated.size();
            if (!r.integer(QStringLiteral("inflated_len"), 0, std::numeric_limits<qint64>::max(), length, false))
                return fail();
            if (length != out.inflated.size()) {
                error = Tr::tr("field \"inflated_len\" says %1 bytes, but the inflated message has %2")
                            .arg(length)
                            .arg(out.inflated.size());
                return false;
            }
            e.hasInflated = true;
        }
        break;
    }
    case EventKind::Violation: {
        QString rule;
        if (!r.string(QStringLiteral("rule"), rule))
            return fail();
        bool known = false;
        e.violation = ruleFromId(rule, known);
        if (!known) {
            error = Tr::tr("unknown rule %1").arg(quoted(rule));
            return false;
        }
        value = 0; // null or absent: a violation a strict peer answers without a close code
        if (!object.value(QStringLiteral("close_code")).isNull()
            && !r.integer(QStringLiteral("close_code"), 0, 65535, value, false))
            return fail();
        e.closeCode = quint16(value);
        if (!r.bytes(QStringLiteral("message"), out.payload, true)
            || !r.hex(QStringLiteral("header"), out.header, false))
            return fail();
        if (!out.header.isEmpty() && !FrameHeader::decode(out.header, e.frame)) {
            error = Tr::tr("field \"header\": %1 bytes are not a complete frame header").arg(out.header.size());
            return false;
        }
        break;
    }
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        if (!r.bytes(QStringLiteral("raw"), out.payload, true))
            return fail();
        break;
    case EventKind::StateChange: {
        QString state;
        if (!r.string(QStringLiteral("state"), state))
            return fail();
        const std::optional<ReadyState> known = readyStateFromKey(state);
        if (!known) {
            error = Tr::tr("unknown state %1").arg(quoted(state));
            return false;
        }
        e.state = *known;
        if (!r.bytes(QStringLiteral("message"), out.payload, false))
            return fail();
        value = 0;
        if (!r.integer(QStringLiteral("close_code"), 0, 65535, value, false)
            || !r.boolean(QStringLiteral("was_clean"), e.wasClean))
            return fail();
        e.closeCode = quint16(value);
        break;
    }
    case EventKind::TlsInfo:
    case EventKind::Error:
        if (!r.bytes(QStringLiteral("message"), out.payload, true))
            return fail();
        break;
    case EventKind::Api: {
        ApiCall call;
        if (!r.string(QStringLiteral("signal"), call.signal) || !r.array(QStringLiteral("args"), call.args)
            || !r.string(QStringLiteral("note"), call.note, false))
            return fail();
        if (call.signal.isEmpty()) {
            error = Tr::tr("field \"signal\" is empty");
            return false;
        }
        out.payload = call.toJson();
        break;
    }
    case EventKind::Intercept: {
        QString action;
        if (!r.string(QStringLiteral("action"), action))
            return fail();
        const std::optional<InterceptNote::Action> known = InterceptNote::actionFromKey(action);
        if (!known) {
            error = Tr::tr("unknown action %1").arg(quoted(action));
            return false;
        }
        InterceptNote note;
        note.action = *known;
        value = 0;
        QJsonArray rules;
        if (!r.integer(QStringLiteral("message_id"), 0, std::numeric_limits<quint32>::max(), value)
            || !r.array(QStringLiteral("rules"), rules) || !r.string(QStringLiteral("message"), note.detail, false))
            return fail();
        note.message = quint32(value);
        if (r.has(QStringLiteral("hold"))) {
            qint64 hold = 0, opcode = 0;
            if (!r.integer(QStringLiteral("hold"), 1, std::numeric_limits<quint32>::max(), hold)
                || !r.integer(QStringLiteral("opcode"), 0, 15, opcode) || !r.base64(QStringLiteral("b64"), note.payload))
                return fail();
            note.hold = quint32(hold);
            note.opcode = quint8(opcode);
            if (!r.boolean(QStringLiteral("fin"), note.fin))
                return fail();
        }
        for (const QJsonValue &rule : std::as_const(rules)) {
            if (!rule.isDouble() || rule.toInteger(-1) < 1 || rule.toInteger(-1) > 1'000'000) {
                error = Tr::tr("field \"rules\" holds something that is not a rule number");
                return false;
            }
            note.rules << int(rule.toInteger());
        }
        out.payload = note.toJson();
        break;
    }
    }
    return true;
}
