#include "intercept/messagerules.h"

#include "text/hexdigits.h"
#include "text/utf8validator.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(MessageRules)
};

// Hex digits with optional spaces ("01 02 ff"); nullopt when anything else is there.
std::optional<QByteArray> parseHex(const QString &text)
{
    QByteArray digits;
    for (const QChar c : text) {
        if (c.isSpace())
            continue;
        if (hexDigitValue(c.unicode()) < 0)
            return std::nullopt;
        digits += char(c.unicode());
    }
    if (digits.size() % 2)
        return std::nullopt;
    return QByteArray::fromHex(digits);
}

QString quotedRuleText(const QString &text)
{
    // Rule text is the user's own, but it is shown inside a sentence: keep it on one line.
    QString shown = text;
    shown.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
    shown.replace(QLatin1Char('\n'), QLatin1String("\\n")).replace(QLatin1Char('\r'), QLatin1String("\\r"));
    if (shown.size() > 60)
        shown = shown.first(59) + QStringLiteral("\u2026");
    return QLatin1Char('"') + shown + QLatin1Char('"');
}
} // namespace

bool MessageRule::appliesTo(bool towardServer) const
{
    return direction == Direction::Both || (direction == Direction::ToServer) == towardServer;
}

QString MessageRule::directionKey(Direction d)
{
    switch (d) {
    case Direction::ToServer:
        return QStringLiteral("to-server");
    case Direction::ToApp:
        return QStringLiteral("to-app");
    case Direction::Both:
        break;
    }
    return QStringLiteral("both");
}

QString MessageRule::typeKey(Type t)
{
    switch (t) {
    case Type::Regex:
        return QStringLiteral("regex");
    case Type::Hex:
        return QStringLiteral("hex");
    case Type::Text:
        break;
    }
    return QStringLiteral("text");
}

QString MessageRule::describe() const
{
    return Tr::tr("rule %1 (%2, %3 %4 \u2192 %5)")
        .arg(number)
        .arg(directionKey(direction), typeKey(type), quotedRuleText(match), quotedRuleText(replace));
}

bool MessageRules::add(MessageRule rule, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    rule.number = int(m_rules.size()) + 1;
    Compiled compiled;
    if (rule.match.isEmpty())
        return fail(Tr::tr("rule %1: \"match\" is empty").arg(rule.number));
    switch (rule.type) {
    case MessageRule::Type::Text:
        compiled.matchBytes = rule.match.toUtf8();
        compiled.replaceBytes = rule.replace.toUtf8();
        break;
    case MessageRule::Type::Regex:
        compiled.regex = QRegularExpression(rule.match);
        if (!compiled.regex.isValid())
            return fail(Tr::tr("rule %1: \"match\" is not a valid regular expression: %2 (at offset %3)")
                            .arg(rule.number)
                            .arg(compiled.regex.errorString())
                            .arg(compiled.regex.patternErrorOffset()));
        break;
    case MessageRule::Type::Hex: {
        const std::optional<QByteArray> match = parseHex(rule.match);
        const std::optional<QByteArray> replace = parseHex(rule.replace);
        if (!match || match->isEmpty())
            return fail(Tr::tr("rule %1: \"match\" is not hex bytes (pairs of 0-9, a-f)").arg(rule.number));
        if (!replace)
            return fail(Tr::tr("rule %1: \"replace\" is not hex bytes (pairs of 0-9, a-f)").arg(rule.number));
        compiled.matchBytes = *match;
        compiled.replaceBytes = *replace;
        break;
    }
    }
    compiled.rule = rule;
    m_rules.append(compiled);
    return true;
}

std::optional<MessageRules> MessageRules::fromJson(const QByteArray &json, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<MessageRules> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(Tr::tr("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!document.isArray())
        return fail(Tr::tr("expected a JSON array of rules"));
    MessageRules rules;
    const QJsonArray list = document.array();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const int number = int(i) + 1;
        if (!list[i].isObject())
            return fail(Tr::tr("rule %1 is not an object").arg(number));
        const QJsonObject object = list[i].toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            static const QStringList known { QStringLiteral("direction"), QStringLiteral("type"),
                QStringLiteral("match"), QStringLiteral("replace") };
            if (!known.contains(it.key()))
                return fail(Tr::tr("rule %1: unknown field \"%2\" (expected direction, type, match, replace)")
                                .arg(number)
                                .arg(it.key().left(40)));
        }
        MessageRule rule;
        const QJsonValue direction = object.value(QLatin1String("direction"));
        if (direction.isUndefined() || direction == QLatin1String("both"))
            rule.direction = MessageRule::Direction::Both;
        else if (direction == QLatin1String("to-server"))
            rule.direction = MessageRule::Direction::ToServer;
        else if (direction == QLatin1String("to-app"))
            rule.direction = MessageRule::Direction::ToApp;
        else
            return fail(Tr::tr("rule %1: \"direction\" must be \"to-server\", \"to-app\" or \"both\"").arg(number));
        const QJsonValue type = object.value(QLatin1String("type"));
        if (type.isUndefined() || type == QLatin1String("text"))
            rule.type = MessageRule::Type::Text;
        else if (type == QLatin1String("regex"))
            rule.type = MessageRule::Type::Regex;
        else if (type == QLatin1String("hex"))
            rule.type = MessageRule::Type::Hex;
        else
            return fail(Tr::tr("rule %1: \"type\" must be \"text\", \"regex\" or \"hex\"").arg(number));
        const QJsonValue match = object.value(QLatin1String("match"));
        const QJsonValue replace = object.value(QLatin1String("replace"));
        if (!match.isString())
            return fail(Tr::tr("rule %1: \"match\" must be a string").arg(number));
        if (!replace.isString())
            return fail(Tr::tr("rule %1: \"replace\" must be a string (\"\" deletes what matched)").arg(number));
        rule.match = match.toString();
        rule.replace = replace.toString();
        QString why;
        if (!rules.add(rule, &why))
            return fail(why);
    }
    return rules;
}

std::optional<MessageRules> MessageRules::fromFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = Tr::tr("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    constexpr qint64 MaxFileBytes = 1 << 20;
    if (file.size() > MaxFileBytes) {
        if (error)
            *error = Tr::tr("%1: %2 bytes; a rule file may hold at most 1 MiB").arg(path).arg(file.size());
        return std::nullopt;
    }
    QString why;
    std::optional<MessageRules> rules = fromJson(file.readAll(), &why);
    if (!rules && error)
        *error = QStringLiteral("%1: %2").arg(path, why);
    return rules;
}

bool MessageRules::hasRulesFor(bool towardServer) const
{
    for (const Compiled &c : m_rules)
        if (c.rule.appliesTo(towardServer))
            return true;
    return false;
}

MessageRules::Result MessageRules::apply(bool towardServer, quint8 opcode, const QByteArray &payload) const
{
    Result result { payload, {} };
    const bool text = opcode == 0x1;
    const bool binary = opcode == 0x2;
    const bool validText = text && Utf8Validator::isValid(payload);
    for (const Compiled &c : m_rules) {
        if (!c.rule.appliesTo(towardServer))
            continue;
        QByteArray before = result.payload;
        switch (c.rule.type) {
        case MessageRule::Type::Text:
            if (validText)
                result.payload.replace(c.matchBytes, c.replaceBytes);
            break;
        case MessageRule::Type::Regex:
            if (validText)
                result.payload = QString::fromUtf8(result.payload).replace(c.regex, c.rule.replace).toUtf8();
            break;
        case MessageRule::Type::Hex:
            if (binary)
                result.payload.replace(c.matchBytes, c.replaceBytes);
            break;
        }
        if (result.payload != before)
            result.applied << c.rule.number;
    }
    return result;
}
