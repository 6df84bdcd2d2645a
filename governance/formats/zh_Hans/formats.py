# Dates as clerks write them in forms and spreadsheets (2026-12-02), short enough for list columns;
# Django's own zh_Hans formats ("2026年12月2日 06:33") are overridden only for display.
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
# Forms show dates the same way and take the ways clerks type them (2026-12-02, 2026/12/02, 2026年12月2日).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d"]
