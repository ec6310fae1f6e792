// The form library's validator, over @cfworker/json-schema: the window's content security policy forbids
// eval, and the usual validator (ajv) compiles schemas into code. This one interprets them.
import { Validator as SchemaValidator, type Schema } from '@cfworker/json-schema';
import { toErrorSchema, type CustomValidator, type ErrorTransformer, type RJSFSchema, type RJSFValidationError, type UiSchema, type ValidationData, type ValidatorType } from '@rjsf/utils';

function check(schema: RJSFSchema, data: unknown, rootSchema?: RJSFSchema) {
  const root = rootSchema && rootSchema !== schema ? { ...schema, $defs: { ...(rootSchema.$defs ?? {}), ...(schema.$defs ?? {}) }, definitions: { ...(rootSchema.definitions ?? {}), ...(schema.definitions ?? {}) } } : schema;
  return new SchemaValidator(root as Schema, '2020-12', false).validate(data);
}

export const validator: ValidatorType = {
  validateFormData(formData: unknown, schema: RJSFSchema, customValidate?: CustomValidator, transformErrors?: ErrorTransformer, uiSchema?: UiSchema): ValidationData<unknown> {
    const result = check(schema, formData ?? {});
    let errors: RJSFValidationError[] = result.errors
      .filter((e) => e.keyword !== 'properties' && e.keyword !== '$ref')
      .map((e) => {
        const property = e.instanceLocation.replace(/^#/, '').split('/').filter(Boolean).map((p) => `.${p}`).join('');
        return { name: e.keyword, property, message: e.error, stack: `${property || 'value'}: ${e.error}`, schemaPath: e.keywordLocation };
      });
    if (transformErrors) errors = transformErrors(errors, uiSchema);
    const errorSchema = toErrorSchema(errors);
    if (customValidate) {
      // Custom validation is not used by the window; supported for completeness of the interface.
      customValidate(formData, { __errors: [] } as never, uiSchema);
    }
    return { errors, errorSchema };
  },
  isValid: (schema: RJSFSchema, formData: unknown, rootSchema: RJSFSchema) => check(schema, formData, rootSchema).valid,
  rawValidation: (schema: RJSFSchema, formData?: unknown) => {
    const result = check(schema, formData);
    return { errors: result.valid ? undefined : (result.errors as never[]), validationError: undefined };
  },
};
