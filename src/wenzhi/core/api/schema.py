"""The OpenAPI schema's error answers: every operation documents the JSON body ``errors.exception_handler``
writes (``{"code": …, "message": …}``) for the failures it can meet, so clients and schemathesis check them."""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "description": "错误：稳定的 code 与中文说明 message；数据校验错误另有按字段的 errors。",
    "properties": {
        "code": {"type": "string", "example": "invalid"},
        "message": {"type": "string", "example": "筛选条件有误：成立年份：年份不能早于 1800 年"},
        "errors": {"type": "object", "additionalProperties": True},
        "detail": {"type": "string"},
    },
    "required": ["code", "message"],
}
ERROR_TEXT = {"400": "请求数据有误", "401": "未登录或令牌无效", "403": "无权执行此操作",
              "404": "未找到，或无权查看（含超出末页的页码）"}


def error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the error answers to every operation under /api/v1/."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["401", "403"]
            params = {p.get("name") for p in operation.get("parameters", []) if isinstance(p, dict)}
            if "{" in path or "page" in params:  # a row out of scope, or a page past the last
                codes.append("404")
            if operation.get("parameters") or operation.get("requestBody") or method in ("post", "put", "patch"):
                codes.append("400")
            for code in codes:
                operation["responses"].setdefault(code, {"description": ERROR_TEXT[code],
                                                         "content": {"application/json": {"schema": ref}}})
    return result
