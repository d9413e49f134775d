import { expect, test } from "bun:test";
import {
  anthropicErrorFromUpstream,
  anthropicErrorKindForOpenAIType,
  anthropicErrorKindForStatus,
} from "./errors.ts";

test("upstream error bodies keep their message and get Anthropic's type for the status", () => {
  const openai = {
    error: {
      message: "Rate limit reached for requests",
      type: "requests",
      param: null,
      code: "rate_limit_exceeded",
    },
  };
  expect(anthropicErrorFromUpstream(429, openai, "OpenAI")).toEqual({
    type: "error",
    error: { type: "rate_limit_error", message: "Rate limit reached for requests" },
  });
  expect(
    anthropicErrorFromUpstream(404, { error: "model not found, try pulling it first" }, "Ollama"),
  ).toEqual({
    type: "error",
    error: { type: "not_found_error", message: "model not found, try pulling it first" },
  });
  expect(anthropicErrorFromUpstream(502, "<html>bad gateway</html>", "OpenAI").error).toEqual({
    type: "api_error",
    message: "OpenAI answered with status 502",
  });
});

test("status and OpenAI type mappings", () => {
  expect(anthropicErrorKindForStatus(400)).toBe("invalid_request_error");
  expect(anthropicErrorKindForStatus(401)).toBe("authentication_error");
  expect(anthropicErrorKindForStatus(403)).toBe("permission_error");
  expect(anthropicErrorKindForStatus(413)).toBe("request_too_large");
  expect(anthropicErrorKindForStatus(503)).toBe("overloaded_error");
  expect(anthropicErrorKindForStatus(500)).toBe("api_error");
  expect(anthropicErrorKindForOpenAIType("server_error")).toBe("api_error");
  expect(anthropicErrorKindForOpenAIType("insufficient_quota")).toBe("billing_error");
  expect(anthropicErrorKindForOpenAIType(undefined)).toBe("api_error");
});
