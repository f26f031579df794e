#pragma once

// The value of an ASCII hex digit, -1 for anything else. Hex is ASCII: QChar::digitValue() would
// also take the digits of other scripts (Arabic-Indic, fullwidth), which no hex reader accepts.
constexpr int hexDigitValue(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}
