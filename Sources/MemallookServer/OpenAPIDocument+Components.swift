/// The document's components: security, shared parameters and responses, and the schemas
/// of the JSON bodies (`DTOs.swift`), written out; `SchemaTests` checks every DTO against them.
extension OpenAPIDocument {
  static let components = #"""
      "components": {
        "securitySchemes": {
          "bearer": {
            "type": "http",
            "scheme": "bearer"
          }
        },
        "parameters": {
          "format": {
            "name": "format",
            "in": "query",
            "required": false,
            "description": "json for a JSON body",
            "schema": {
              "type": "string",
              "enum": [
                "json",
                "text"
              ]
            }
          }
        },
        "responses": {
          "E400": {
            "description": "malformed or missing parameter",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "E401": {
            "description": "missing or wrong bearer token",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "E404": {
            "description": "unknown tag",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "E405": {
            "description": "wrong method",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "E408": {
            "description": "the request body did not arrive in time (body_too_slow)",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "E409": {
            "description": "no heap yet, or the allocation does not fit",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "E413": {
            "description": "body too large",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "E503": {
            "description": "busy: another process holds the state file (state_file_busy) or the server holds all the work it takes (server_busy), try again after Retry-After; or a replay went over the time limit (time_limit)",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "schemas": {
          "Error": {
            "type": "object",
            "required": [
              "error",
              "message"
            ],
            "properties": {
              "error": {
                "type": "string",
                "enum": [
                  "no_heap",
                  "invalid_parameter",
                  "heap_too_large",
                  "allocation_failed",
                  "unknown_tag",
                  "reallocation_failed",
                  "tags_exhausted",
                  "refused_under_buddy",
                  "buddy_needs_an_empty_heap",
                  "no_such_step",
                  "syntax_error",
                  "unauthorized",
                  "method_not_allowed",
                  "body_too_large",
                  "malformed_body",
                  "not_found",
                  "malformed_trace",
                  "too_many_operations",
                  "time_limit",
                  "body_too_slow",
                  "state_file_busy",
                  "server_busy",
                  "storage"
                ]
              },
              "message": {
                "type": "string"
              }
            }
          },
          "Allocation": {
            "type": "object",
            "required": [
              "tag",
              "glyph",
              "bytes",
              "pages",
              "firstPage"
            ],
            "properties": {
              "tag": {
                "type": "string"
              },
              "glyph": {
                "type": "string"
              },
              "bytes": {
                "type": "integer"
              },
              "pages": {
                "type": "integer"
              },
              "firstPage": {
                "type": "integer"
              }
            }
          },
          "Metrics": {
            "type": "object",
            "properties": {
              "pagesUsed": {
                "type": "integer"
              },
              "pagesFree": {
                "type": "integer"
              },
              "peakPagesUsed": {
                "type": "integer"
              },
              "bytesRequested": {
                "type": "integer"
              },
              "bytesReserved": {
                "type": "integer"
              },
              "internalFragmentationBytes": {
                "type": "integer"
              },
              "internalFragmentation": {
                "type": "number"
              },
              "externalFragmentation": {
                "type": "number"
              },
              "freeRuns": {
                "type": "integer"
              },
              "longestFreeRun": {
                "type": "integer"
              },
              "liveAllocations": {
                "type": "integer"
              },
              "failedAllocations": {
                "type": "integer"
              }
            }
          },
          "Heap": {
            "type": "object",
            "required": [
              "heap",
              "p",
              "N",
              "policy"
            ],
            "properties": {
              "heap": {
                "type": "string"
              },
              "p": {
                "type": "integer"
              },
              "N": {
                "type": "integer"
              },
              "policy": {
                "type": "string"
              },
              "allocations": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/Allocation"
                }
              },
              "metrics": {
                "$ref": "#/components/schemas/Metrics"
              }
            }
          },
          "Reply": {
            "type": "object",
            "required": [
              "reply"
            ],
            "properties": {
              "reply": {
                "type": "string"
              },
              "detail": {
                "type": "string"
              },
              "heap": {
                "type": "string"
              },
              "p": {
                "type": "integer"
              },
              "N": {
                "type": "integer"
              },
              "policy": {
                "type": "string"
              },
              "tag": {
                "type": "string"
              },
              "glyph": {
                "type": "string"
              },
              "bytes": {
                "type": "integer"
              },
              "pages": {
                "type": "integer"
              },
              "firstPage": {
                "type": "integer"
              },
              "show": {
                "type": "string"
              },
              "history": {
                "type": "string"
              },
              "complete": {
                "type": "boolean"
              },
              "step": {
                "type": "integer"
              },
              "lastStep": {
                "type": "integer"
              },
              "metrics": {
                "$ref": "#/components/schemas/Metrics"
              },
              "moves": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "tag": {
                      "type": "string"
                    },
                    "from": {
                      "type": "integer"
                    },
                    "to": {
                      "type": "integer"
                    },
                    "pages": {
                      "type": "integer"
                    }
                  }
                }
              }
            }
          },
          "ReplayPoint": {
            "type": "object",
            "required": [
              "op",
              "failed",
              "peakPagesInUse",
              "pagesInUse",
              "liveAllocations",
              "freeRuns",
              "longestFreeRun",
              "externalFragmentation",
              "internalFragmentationBytes"
            ],
            "properties": {
              "op": {
                "type": "integer"
              },
              "failed": {
                "type": "integer"
              },
              "peakPagesInUse": {
                "type": "integer"
              },
              "pagesInUse": {
                "type": "integer"
              },
              "liveAllocations": {
                "type": "integer"
              },
              "freeRuns": {
                "type": "integer"
              },
              "longestFreeRun": {
                "type": "integer"
              },
              "externalFragmentation": {
                "type": "number"
              },
              "internalFragmentationBytes": {
                "type": "integer"
              }
            }
          },
          "ReplaySummary": {
            "type": "object",
            "required": [
              "op",
              "failed",
              "peakPagesInUse",
              "pagesInUse",
              "liveAllocations",
              "freeRuns",
              "longestFreeRun",
              "externalFragmentation",
              "internalFragmentationBytes",
              "policy",
              "pageSize",
              "pageCount",
              "operations",
              "skippedFrees",
              "meanExternalFragmentation",
              "utilization",
              "peakUtilization",
              "nullFrees",
              "reallocsOfNothing",
              "reallocsToZero",
              "zeroSizes",
              "allocsOfLiveIDs",
              "firstFailureOp",
              "peakOp",
              "worstFragmentationOp"
            ],
            "properties": {
              "nullFrees": {
                "type": "integer",
                "description": "f -1 (free(NULL)) operations"
              },
              "reallocsOfNothing": {
                "type": "integer",
                "description": "reallocs of ids not live, played as ALLOCs"
              },
              "reallocsToZero": {
                "type": "integer",
                "description": "reallocs to 0 bytes, played as frees"
              },
              "zeroSizes": {
                "type": "integer",
                "description": "requests of 0 bytes, played as 1 byte"
              },
              "allocsOfLiveIDs": {
                "type": "integer",
                "description": "allocs of live ids (a lost free): the old block freed first"
              },
              "firstFailureOp": {
                "type": ["integer", "null"],
                "description": "the first refused ALLOC or REALLOC (operations counted from 1), null for none"
              },
              "peakOp": {
                "type": "integer",
                "description": "the first operation after which pages in use reach their maximum"
              },
              "worstFragmentationOp": {
                "type": "integer",
                "description": "the first operation after which external fragmentation is highest (0: never)"
              },
              "timelineInterval": {
                "type": "integer",
                "description": "operations between timeline points (doubled past 10,000 points)"
              },
              "op": {
                "type": "integer"
              },
              "failed": {
                "type": "integer"
              },
              "peakPagesInUse": {
                "type": "integer"
              },
              "pagesInUse": {
                "type": "integer"
              },
              "liveAllocations": {
                "type": "integer"
              },
              "freeRuns": {
                "type": "integer"
              },
              "longestFreeRun": {
                "type": "integer"
              },
              "externalFragmentation": {
                "type": "number"
              },
              "internalFragmentationBytes": {
                "type": "integer"
              },
              "policy": {
                "type": "string"
              },
              "pageSize": {
                "type": "integer"
              },
              "pageCount": {
                "type": "integer"
              },
              "operations": {
                "type": "integer"
              },
              "skippedFrees": {
                "type": "integer"
              },
              "meanExternalFragmentation": {
                "type": "number"
              },
              "utilization": {
                "type": "number"
              },
              "peakUtilization": {
                "type": "number"
              },
              "timeline": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/ReplayPoint"
                }
              }
            }
          },
          "ReplaySummaries": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ReplaySummary"
            }
          }
        }
      }
    }
    """#
}
